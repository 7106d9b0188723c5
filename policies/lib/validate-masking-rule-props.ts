import { isDetector } from "./detector";
import type { MaskingRuleProps } from "./masking-rule";
import { regexCheck } from "./predicate-checks";
import { serverRefName } from "./server-ref";
import { duplicates, failures, isValidName, NAME_EXPECTED, shown, type ValidationCheck } from "./validation";

/** Validation of MaskingRule props; every failure, prefixed with the construct path. */
export function validateMaskingRuleProps(path: string, ruleId: string, p: MaskingRuleProps): string[] {
  const detectors = p.detectors ?? [];
  const patterns = p.patterns ?? [];
  const unknown = detectors.filter((d) => !isDetector(d));
  const checks: ValidationCheck[] = [
    {
      condition: !isValidName(ruleId),
      message: `rule name ${shown(ruleId)} is not valid, expected ${NAME_EXPECTED} (set props.name or rename the construct)`,
    },
    {
      condition: detectors.length + patterns.length + (p.fieldNames ?? []).length + (p.fieldPaths ?? []).length === 0,
      message:
        "the rule masks nothing: received no detectors, patterns, fieldNames or fieldPaths, expected at least one (e.g. detectors: [Detector.CREDIT_CARD])",
    },
    {
      condition: unknown.length > 0,
      message: `detectors ${shown(unknown)} are not built-in detectors, expected values of Detector (e.g. Detector.EMAIL), or a custom pattern`,
    },
    {
      condition: duplicates(detectors).length > 0,
      message: `detectors lists ${shown(duplicates(detectors))} more than once`,
    },
    {
      condition: (p.servers ?? ["*"]).length === 0 || (p.tools ?? ["*"]).length === 0,
      message: "servers or tools is empty, so the rule masks nothing: omit them to mask every server and tool",
    },
    { condition: (p.servers ?? []).map(serverRefName).some((s) => s === ""), message: "servers has an empty name" },
    {
      condition: p.style !== undefined && !["redact", "last4", "hash"].includes(p.style),
      message: `style ${shown(p.style)} is not valid, expected "redact", "last4" or "hash"`,
    },
    {
      condition: p.scope !== undefined && !["client", "audit", "both"].includes(p.scope),
      message: `scope ${shown(p.scope)} is not valid, expected "client", "audit" or "both"`,
    },
    ...patterns.flatMap((x, i) => [
      {
        condition: !isValidName(x.name),
        message: `patterns[${i}].name ${shown(x.name)} is not valid, expected ${NAME_EXPECTED}`,
      },
      { condition: x.regex === "", message: `patterns[${i}].regex is empty, expected an re2 pattern` },
      ...(x.regex !== "" ? [regexCheck(x.regex, `patterns[${i}].regex`)] : []),
    ]),
    {
      condition: duplicates(patterns.map((x) => x.name)).length > 0,
      message: `pattern names ${shown(duplicates(patterns.map((x) => x.name)))} are used more than once`,
    },
    { condition: (p.fieldNames ?? []).some((f) => f.trim() === ""), message: "fieldNames has an empty name" },
    {
      condition: (p.fieldPaths ?? []).some((f) => f.split(".").some((s) => s === "")),
      message: `fieldPaths ${shown(p.fieldPaths)} has an empty segment, expected dot paths such as "customer.ssn" or "items.*.card"`,
    },
  ];
  return failures(path, checks);
}
