/**
 * Checks of a bundle beyond its schema that the runtime must not start without: every regex is
 * RE2 (linear time) and compiles, names are unique, and every server reference resolves. The
 * construct library runs richer checks at build; these are the ones a hand-made or tampered
 * bundle could still fail.
 */
import type { BundleBody } from "./schema";
import { re2Problem } from "./argument-predicates";
import { matchesAny } from "./glob";

export function bundleProblems(bundle: BundleBody): string[] {
  const problems: string[] = [...regexProblems(bundle)];
  const serverNames = bundle.servers.map((s) => s.name);
  const dup = (kind: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${kind}: duplicate id '${id}'`);
      seen.add(id);
    }
  };
  dup("servers", serverNames);
  dup(
    "access",
    bundle.access.map((r) => r.id),
  );
  dup(
    "masking",
    bundle.masking.map((r) => r.id),
  );
  dup(
    "approvals",
    bundle.approvals.map((r) => r.id),
  );
  dup(
    "guardrails",
    bundle.guardrails.map((r) => r.id),
  );

  bundle.access.forEach((r, i) => {
    for (const s of r.servers)
      if (!serverNames.includes(s)) problems.push(`access.${i} (${r.id}): unknown server '${s}'`);
  });
  bundle.approvals.forEach((r, i) => {
    if (!serverNames.some((s) => matchesAny(r.servers, s)))
      problems.push(`approvals.${i} (${r.id}): servers ${JSON.stringify(r.servers)} match no server`);
  });
  bundle.guardrails.forEach((g, i) => {
    if (g.on === "result" && g.resultRegex === undefined)
      problems.push(`guardrails.${i} (${g.id}): on "result" needs resultRegex`);
  });
  return problems;
}

/** Every regex of the bundle that is not RE2 (argument predicates, masking patterns, result guardrails). */
export function regexProblems(bundle: Pick<BundleBody, "access" | "masking" | "approvals" | "guardrails">): string[] {
  const problems: string[] = [];
  const regex = (where: string, pattern: string) => {
    const p = re2Problem(pattern);
    if (p) problems.push(`${where}: regex ${JSON.stringify(pattern)} is not valid RE2 (${p})`);
  };
  const predicates = (where: string, preds: { op: string; value: unknown }[]) =>
    preds.forEach((p, i) => p.op === "regex" && regex(`${where}.${i}`, String(p.value)));
  bundle.access.forEach((r, i) =>
    r.argumentConstraints.forEach((c, j) =>
      predicates(`access.${i}.argumentConstraints.${j}.predicates`, c.predicates),
    ),
  );
  bundle.masking.forEach((r, i) => r.patterns.forEach((p, j) => regex(`masking.${i}.patterns.${j}`, p.regex)));
  bundle.approvals.forEach((r, i) => predicates(`approvals.${i}.when`, r.when));
  bundle.guardrails.forEach((g, i) => {
    predicates(`guardrails.${i}.when`, g.when);
    if (g.resultRegex !== undefined) regex(`guardrails.${i}.resultRegex`, g.resultRegex);
  });
  return problems;
}
