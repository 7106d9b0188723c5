/**
 * Predicates that can never hold together (so the rule carrying them can never match): two
 * different `equals` on one path, an empty numeric interval, `exists: false` with a condition on
 * the value, an `equals` the other conditions reject. Conservative: reports only sure conflicts.
 */
import type { ArgumentPredicate } from "../../runtime/core/policy-model/schema";
import { predicateHolds } from "../../runtime/core/policy-model/argument-predicates";

export function predicateContradictions(preds: readonly ArgumentPredicate[]): string[] {
  const out: string[] = [];
  const byPath = new Map<string, ArgumentPredicate[]>();
  for (const p of preds) byPath.set(p.path, [...(byPath.get(p.path) ?? []), p]);
  for (const [path, ps] of byPath) {
    const absent = ps.some((p) => p.op === "exists" && !p.value);
    if (absent && ps.some((p) => !(p.op === "exists" && !p.value))) {
      out.push(`'${path}' must be absent (exists false) and also satisfy another condition`);
      continue;
    }
    const equals = ps.filter((p) => p.op === "equals");
    if (new Set(equals.map((p) => JSON.stringify(p.value))).size > 1) {
      out.push(`'${path}' must equal ${equals.map((p) => JSON.stringify(p.value)).join(" and ")} at once`);
      continue;
    }
    if (equals.length > 0) {
      // With a fixed value, every other predicate can be evaluated now.
      const probe = setAtPath(path, equals[0].value);
      const rejecting = ps.filter((p) => !predicateHolds(p, probe));
      if (rejecting.length > 0)
        out.push(
          `'${path}' equals ${JSON.stringify(equals[0].value)}, which fails ${rejecting.map((p) => p.op).join(", ")}`,
        );
      continue;
    }
    let lo = -Infinity;
    let loInclusive = false;
    let hi = Infinity;
    let hiInclusive = false;
    for (const p of ps) {
      if ((p.op === "gt" || p.op === "gte") && (p.value > lo || (p.value === lo && p.op === "gt")))
        [lo, loInclusive] = [p.value, p.op === "gte"];
      if ((p.op === "lt" || p.op === "lte") && (p.value < hi || (p.value === hi && p.op === "lt")))
        [hi, hiInclusive] = [p.value, p.op === "lte"];
    }
    if (lo > hi || (lo === hi && !(loInclusive && hiInclusive)))
      out.push(`'${path}' has an empty numeric range (above ${lo}, below ${hi})`);
  }
  return out;
}

function setAtPath(path: string, value: unknown): unknown {
  return path
    .split(".")
    .reverse()
    .reduce<unknown>(
      (inner, seg) =>
        /^\d+$/.test(seg) ? Object.assign(new Array(Number(seg) + 1).fill(null), { [seg]: inner }) : { [seg]: inner },
      value,
    );
}
