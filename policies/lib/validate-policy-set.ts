/**
 * Checks across constructs: unknown server references, duplicate names, rules that can never
 * match, masking weaker for the audit copy than for the client. Each message names the
 * construct path of the rule at fault and the fix.
 */
import type { BundleBody } from "../../runtime/core/policy-model/schema";
import { matchesAny } from "../../runtime/core/policy-model/glob";
import { maskingCoverageGaps } from "./masking-coverage";
import { duplicates, shown } from "./validation";

export interface Located<T> {
  readonly path: string;
  readonly spec: T;
}

export interface PolicyTree {
  readonly servers: Located<BundleBody["servers"][number]>[];
  readonly access: Located<BundleBody["access"][number]>[];
  readonly masking: Located<BundleBody["masking"][number]>[];
  readonly approvals: Located<BundleBody["approvals"][number]>[];
  readonly guardrails: Located<BundleBody["guardrails"][number]>[];
}

export function validatePolicySet(t: PolicyTree): string[] {
  const out: string[] = [];
  const names = t.servers.map((s) => s.spec.name);
  for (const d of duplicates(names)) {
    const paths = t.servers.filter((s) => s.spec.name === d).map((s) => s.path);
    out.push(
      `${paths.join(", ")}: server name '${d}' is declared ${paths.length} times, expected unique names: rename all but one`,
    );
  }
  const rules = [...t.access, ...t.masking, ...t.approvals, ...t.guardrails];
  for (const d of duplicates(rules.map((r) => r.spec.id))) {
    const paths = rules.filter((r) => r.spec.id === d).map((r) => r.path);
    out.push(
      `${paths.join(", ")}: rule name '${d}' is used ${paths.length} times, expected unique rule names (audit records name the rule): rename all but one`,
    );
  }
  for (const a of t.access) {
    const unknown = a.spec.servers.filter((s) => !names.includes(s) && !/[*?]/.test(s));
    if (unknown.length > 0)
      out.push(
        `${a.path}: servers ${shown(unknown)} are not declared, expected one of ${shown(names)}: declare an McpServer or fix the name`,
      );
  }
  const globRefs = (kind: string, items: Located<{ servers: string[] }>[]) => {
    for (const r of items) {
      const dead = r.spec.servers.filter((g) => !names.some((n) => matchesAny([g], n)));
      if (dead.length > 0)
        out.push(
          `${r.path}: servers ${shown(dead)} match no declared server, expected names or globs of ${shown(names)}: the ${kind} would never apply`,
        );
    }
  };
  globRefs("masking rule", t.masking);
  globRefs("approval rule", t.approvals);
  globRefs("guardrail", t.guardrails);

  for (const r of t.approvals) {
    const matched = names.filter((n) => matchesAny(r.spec.servers, n));
    const reached = t.access.some((a) => a.spec.servers.some((s) => matched.includes(s)));
    if (matched.length > 0 && !reached)
      out.push(
        `${r.path}: no access rule reaches ${shown(matched)}, so the approval rule can never match: add an access rule or remove the approval rule`,
      );
    const blocker = t.guardrails.find(
      (g) =>
        g.spec.on === "call" &&
        g.spec.when.length === 0 &&
        (g.spec.servers.includes("*") || r.spec.servers.every((s) => g.spec.servers.includes(s))) &&
        (g.spec.tools.includes("*") || r.spec.tools.every((x) => g.spec.tools.includes(x))),
    );
    if (blocker)
      out.push(
        `${r.path}: guardrail ${blocker.path} blocks every call this approval rule covers, so it can never match: narrow the guardrail or remove the approval rule`,
      );
  }
  for (const gap of maskingCoverageGaps(t.masking.map((m) => m.spec))) {
    const path = t.masking.find((m) => m.spec.id === gap.ruleId)?.path ?? gap.ruleId;
    out.push(
      `${path}: ${gap.item} is masked for the client but not at least as strictly in the audit copy, expected scope "both" (or an audit rule with the same servers, tools and an equal or stronger style)`,
    );
  }
  return out;
}
