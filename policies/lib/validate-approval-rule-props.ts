import type { ApprovalRuleProps } from "./approval-rule";
import { predicateChecks } from "./predicate-checks";
import { approverChecks } from "./principals-props";
import { failures, isValidName, NAME_EXPECTED, shown, type ValidationCheck } from "./validation";

/** Validation of ApprovalRule props; every failure, prefixed with the construct path. */
export function validateApprovalRuleProps(path: string, ruleId: string, p: ApprovalRuleProps): string[] {
  const count = p.count ?? 1;
  const expires = p.expiresAfterSeconds ?? 3600;
  const checks: ValidationCheck[] = [
    {
      condition: !isValidName(ruleId),
      message: `rule name ${shown(ruleId)} is not valid, expected ${NAME_EXPECTED} (set props.name or rename the construct)`,
    },
    {
      condition: p.servers.length === 0,
      message: "servers is empty, so the rule can never match: expected at least one server name or glob",
    },
    {
      condition: p.tools.length === 0,
      message: 'tools is empty, so the rule can never match: expected at least one tool glob, e.g. ["delete_*"]',
    },
    {
      condition: p.tools.some((t) => t.length === 0 || t.length > 256),
      message: "tools has an empty or over-long glob, expected 1-256 characters",
    },
    ...approverChecks(p.approvers, "approvers"),
    {
      condition: !(Number.isInteger(count) && count >= 1 && count <= 10),
      message: `count must be an integer from 1 to 10, received ${shown(p.count)}`,
    },
    {
      condition: !(Number.isInteger(expires) && expires >= 30 && expires <= 7 * 24 * 3600),
      message: `expiresAfterSeconds must be an integer from 30 to 604800 (7 days), received ${shown(p.expiresAfterSeconds)}`,
    },
    {
      condition: p.requireReason !== undefined && typeof p.requireReason !== "boolean",
      message: `requireReason must be true or false, received ${shown(p.requireReason)}`,
    },
    {
      condition: p.allowEdit !== undefined && typeof p.allowEdit !== "boolean",
      message: `allowEdit must be true or false, received ${shown(p.allowEdit)}`,
    },
    ...predicateChecks(p.when ?? [], "when", "the rule can never match, so these calls would never wait for approval"),
  ];
  return failures(path, checks);
}
