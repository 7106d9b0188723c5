/**
 * "The audit copy is always masked at least as strictly as the client copy": every item a rule
 * masks in the client copy (detector, pattern, field) must also be masked in the audit copy, by
 * the same rule (scope "both") or by an audit rule covering the same servers and tools with a
 * style that reveals no more.
 */
import type { MaskingRule } from "../../runtime/core/policy-model/schema";
import { STYLE_STRENGTH } from "./masking-rule";

function items(r: MaskingRule): string[] {
  return [
    ...r.detectors.map((d) => `detector ${d}`),
    ...r.patterns.map((p) => `pattern ${p.name}`),
    ...r.fieldNames.map((f) => `field ${f.toLowerCase()}`),
    ...r.fieldPaths.map((f) => `path ${f}`),
  ];
}

/** Whether globs `outer` cover every glob of `inner` (conservatively: `*` or the same glob). */
function covers(outer: string[], inner: string[]): boolean {
  return outer.includes("*") || inner.every((g) => outer.includes(g));
}

/** The items of client-only rules that no audit rule masks at least as strictly. */
export function maskingCoverageGaps(rules: readonly MaskingRule[]): { ruleId: string; item: string }[] {
  const audit = rules.filter((r) => r.scope !== "client");
  const gaps: { ruleId: string; item: string }[] = [];
  for (const r of rules.filter((x) => x.scope === "client")) {
    for (const item of items(r)) {
      const covered = audit.some(
        (a) =>
          covers(a.servers, r.servers) &&
          covers(a.tools, r.tools) &&
          items(a).includes(item) &&
          STYLE_STRENGTH[a.style] >= STYLE_STRENGTH[r.style],
      );
      if (!covered) gaps.push({ ruleId: r.id, item });
    }
  }
  return gaps;
}
