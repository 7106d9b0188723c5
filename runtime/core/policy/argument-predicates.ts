/**
 * Argument predicates: conditions on the arguments of a call (`params.arguments`), used by
 * access-rule argument constraints, approval rules and guardrails.
 *
 * Semantics (documented in docs/policies.md):
 * - `path` is a dot path (`a.b.0.c`); numeric segments index arrays. Only own properties are
 *   followed, so `__proto__` or `constructor` never reach Object.prototype.
 * - `equals`: strict equality with a string, number, boolean or null.
 * - `contains`: a string containing `value`, or an array with an element equal to `value`.
 * - `regex`: RE2 syntax (linear time), unanchored search, on a string, number or boolean.
 * - `gt`/`gte`/`lt`/`lte`: numbers, or strings that are plain decimal numbers ("5", "-1.5").
 * - `lengthGt`: an array or string longer than `value`.
 * - `exists`: `value: true` holds when the path resolves to anything (null included).
 * A value of the wrong type makes the predicate false.
 */
import { RE2JS } from "re2js";
import type { ArgumentPredicate } from "../../../policies/schema";

const NUMERIC = /^-?\d+(\.\d+)?$/;
const regexCache = new Map<string, RE2JS>();

/** Compiles (and caches) an RE2 pattern. Throws RE2JS syntax errors for unsupported patterns. */
export function compileRe2(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    // The cache holds patterns from the bundle only (a bounded set), never caller input.
    regexCache.set(pattern, re);
  }
  return re;
}

/** The RE2 syntax error of `pattern`, or null when it compiles. */
export function re2Problem(pattern: string): string | null {
  try {
    compileRe2(pattern);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Resolves a dot path; undefined when any segment is missing. */
export function valueAtPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function asNumber(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && NUMERIC.test(v)) return Number(v);
  return null;
}

/** Whether one predicate holds for `args`. A predicate whose regex does not compile is false. */
export function predicateHolds(pred: ArgumentPredicate, args: unknown): boolean {
  const v = valueAtPath(args, pred.path);
  switch (pred.op) {
    case "exists":
      return (v !== undefined) === pred.value;
    case "equals":
      return v === pred.value;
    case "contains":
      if (typeof v === "string") return v.includes(pred.value);
      if (Array.isArray(v)) return v.some((e) => e === pred.value);
      return false;
    case "regex": {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return false;
      try {
        return compileRe2(pred.value).test(String(v));
      } catch {
        return false;
      }
    }
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const n = asNumber(v);
      if (n === null) return false;
      if (pred.op === "gt") return n > pred.value;
      if (pred.op === "gte") return n >= pred.value;
      if (pred.op === "lt") return n < pred.value;
      return n <= pred.value;
    }
    case "lengthGt":
      if (typeof v === "string") return Array.from(v).length > pred.value;
      if (Array.isArray(v)) return v.length > pred.value;
      return false;
  }
}

/** Whether every predicate holds (an empty list holds). */
export function allPredicatesHold(preds: readonly ArgumentPredicate[], args: unknown): boolean {
  return preds.every((p) => predicateHolds(p, args));
}

/** Short human text of a predicate, for explain and diff reports. */
export function describePredicate(pred: ArgumentPredicate): string {
  return `${pred.path} ${pred.op} ${JSON.stringify(pred.value)}`;
}
