import type { AccessRuleProps, AllowDenyProps } from "./access-rule";
import { predicateChecks } from "./predicate-checks";
import { principalsChecks, approverChecks } from "./principals-props";
import { serverRefName } from "./server-ref";
import { duplicates, failures, isValidName, NAME_EXPECTED, shown, type ValidationCheck } from "./validation";

function globChecks(x: AllowDenyProps | undefined, what: string): ValidationCheck[] {
  const all = [...(x?.allow ?? []), ...(x?.deny ?? [])];
  return [
    {
      condition: all.some((g) => g.length === 0 || g.length > 256),
      message: `${what} has an empty or over-long glob, expected 1-256 characters`,
    },
  ];
}

/** Validation of AccessRule props; every failure, prefixed with the construct path. */
export function validateAccessRuleProps(path: string, ruleId: string, p: AccessRuleProps): string[] {
  const servers = p.servers.map(serverRefName);
  const globServers = servers.filter((s) => /[*?]/.test(s));
  const mode = p.mode ?? "jit";
  const checks: ValidationCheck[] = [
    {
      condition: !isValidName(ruleId),
      message: `rule name ${shown(ruleId)} is not valid, expected ${NAME_EXPECTED} (set props.name or rename the construct)`,
    },
    ...principalsChecks(p.principals, "principals"),
    { condition: servers.length === 0, message: "servers is empty, expected at least one server the rule opens" },
    {
      condition: globServers.length > 0,
      message: `servers ${shown(globServers)} are globs, expected server names: access rules name each server explicitly`,
    },
    {
      condition: duplicates(servers).length > 0,
      message: `servers lists ${shown(duplicates(servers))} more than once`,
    },
    ...globChecks(p.tools, "tools"),
    ...globChecks(p.resources, "resources"),
    ...globChecks(p.prompts, "prompts"),
    {
      condition:
        (p.tools?.allow ?? []).length + (p.resources?.allow ?? []).length + (p.prompts?.allow ?? []).length === 0,
      message:
        'tools, resources and prompts allow nothing (an empty allow list allows nothing), expected at least one allow glob, e.g. tools: { allow: ["*"] }',
    },
    {
      condition:
        p.jitMaxMinutes !== undefined &&
        !(Number.isInteger(p.jitMaxMinutes) && p.jitMaxMinutes >= 1 && p.jitMaxMinutes <= 1440),
      message: `jitMaxMinutes must be an integer from 1 to 1440, received ${shown(p.jitMaxMinutes)}`,
    },
    {
      condition:
        mode === "standing" &&
        (p.jitMaxMinutes !== undefined || p.jitGrant !== undefined || p.jitApprovers !== undefined),
      message:
        'jitMaxMinutes, jitGrant and jitApprovers apply to mode "jit" only, received them with mode "standing": remove them or set mode: "jit"',
    },
    ...(mode === "jit" && p.jitGrant === "approval" ? approverChecks(p.jitApprovers, "jitApprovers") : []),
    ...(p.argumentConstraints ?? []).flatMap((c, i) => [
      {
        condition: c.predicates.length === 0,
        message: `argumentConstraints[${i}] has no predicates, expected at least one`,
      },
      ...predicateChecks(
        c.predicates,
        `argumentConstraints[${i}].predicates`,
        `every call to ${shown(c.tool)} would be denied: fix the predicates or deny the tool`,
      ),
    ]),
  ];
  return failures(path, checks);
}
