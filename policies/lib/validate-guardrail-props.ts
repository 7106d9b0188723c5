import type { GuardrailProps } from "./guardrail";
import { predicateChecks, regexCheck } from "./predicate-checks";
import { failures, isValidName, NAME_EXPECTED, shown, type ValidationCheck } from "./validation";

/** Validation of Guardrail props; every failure, prefixed with the construct path. */
export function validateGuardrailProps(path: string, ruleId: string, p: GuardrailProps): string[] {
  const on = p.on ?? "call";
  const checks: ValidationCheck[] = [
    {
      condition: !isValidName(ruleId),
      message: `rule name ${shown(ruleId)} is not valid, expected ${NAME_EXPECTED} (set props.name or rename the construct)`,
    },
    {
      condition: p.servers.length === 0,
      message: "servers is empty, so the guardrail can never match: expected at least one server name or glob",
    },
    {
      condition: (p.tools ?? ["*"]).length === 0,
      message: "tools is empty, so the guardrail can never match: omit it to watch every tool",
    },
    { condition: p.message.trim() === "", message: "message is empty, expected the text the blocked caller sees" },
    {
      condition: on === "result" && p.resultRegex === undefined,
      message: 'on "result" needs resultRegex, received none: add the pattern that blocks a result',
    },
    {
      condition: on === "call" && p.resultRegex !== undefined,
      message: 'resultRegex applies to on "result" only, received it with on "call": set on: "result" or use when',
    },
    {
      condition: on === "result" && (p.when ?? []).length > 0,
      message: 'when applies to on "call" only, received it with on "result": results are matched by resultRegex',
    },
    ...(p.resultRegex !== undefined ? [regexCheck(p.resultRegex, "resultRegex")] : []),
    ...predicateChecks(p.when ?? [], "when", "the guardrail can never block"),
  ];
  return failures(path, checks);
}
