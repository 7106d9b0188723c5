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
 *
 * A value of the wrong type (`" 5000"`, `"5e3"`, `[5000]` for `gt`; a number for `contains`; a
 * path that runs into a string or an array where it expects an object) depends on the mode:
 * - "strict" (access-rule argument constraints: they grant): the predicate is false, so a type
 *   mismatch never grants.
 * - "failClosed" (guardrails and approval rules: they refuse or pause): the predicate holds,
 *   because the upstream may coerce the value into one the rule was written to catch
 *   ("5e3" -> 5000). An absent value is not a mismatch (the rule does not fire on it).
 */
import { RE2JS } from "re2js";
import type { ArgumentPredicate } from "./schema";

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

/** How a predicate treats a value that is not of its declared type (see the header). */
export type PredicateMode = "strict" | "failClosed";

/** A resolved path: a value, nothing there, or a value of the wrong shape on the way. */
export type Resolved =
  { readonly kind: "value"; readonly value: unknown } | { readonly kind: "absent" } | { readonly kind: "misshapen" };

/** Resolves a dot path, telling a missing key from a path that runs into a non-object. */
export function resolvePath(root: unknown, path: string): Resolved {
  let current: unknown = root;
  for (const segment of path.split(".")) {
    if (current === undefined) return { kind: "absent" };
    if (current === null || typeof current !== "object") return { kind: "misshapen" };
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return { kind: "misshapen" };
      current = current[Number(segment)];
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return { kind: "absent" };
    current = (current as Record<string, unknown>)[segment];
  }
  return current === undefined ? { kind: "absent" } : { kind: "value", value: current };
}

/** Resolves a dot path; undefined when any segment is missing. */
export function valueAtPath(root: unknown, path: string): unknown {
  const r = resolvePath(root, path);
  return r.kind === "value" ? r.value : undefined;
}

function asNumber(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && NUMERIC.test(v)) return Number(v);
  return null;
}

const jsonType = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * The predicate on a value of its declared type, or "mismatch" when the value is not of it.
 * `equals null` has no other type to confuse with: it compares strictly.
 */
function evaluate(pred: ArgumentPredicate, v: unknown): boolean | "mismatch" {
  switch (pred.op) {
    case "exists":
      return pred.value;
    case "equals":
      if (pred.value !== null && jsonType(v) !== jsonType(pred.value)) return "mismatch";
      return v === pred.value;
    case "contains":
      if (typeof v === "string") return v.includes(pred.value);
      if (!Array.isArray(v)) return "mismatch";
      if (v.some((e) => e === pred.value)) return true;
      return v.some((e) => typeof e !== "string") ? "mismatch" : false;
    case "regex":
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return "mismatch";
      try {
        return compileRe2(pred.value).test(String(v));
      } catch {
        return "mismatch";
      }
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const n = asNumber(v);
      if (n === null) return "mismatch";
      if (pred.op === "gt") return n > pred.value;
      if (pred.op === "gte") return n >= pred.value;
      if (pred.op === "lt") return n < pred.value;
      return n <= pred.value;
    }
    case "lengthGt":
      if (typeof v === "string") return Array.from(v).length > pred.value;
      if (Array.isArray(v)) return v.length > pred.value;
      return "mismatch";
  }
}

/**
 * Whether one predicate holds for `args`. In "strict" mode (the default) a value of the wrong
 * type, a misshapen path or a regex that does not compile is false; in "failClosed" mode, true.
 */
export function predicateHolds(pred: ArgumentPredicate, args: unknown, mode: PredicateMode = "strict"): boolean {
  const r = resolvePath(args, pred.path);
  if (r.kind === "misshapen") return mode === "failClosed";
  if (r.kind === "absent") return pred.op === "exists" && !pred.value;
  if (pred.op === "exists") return pred.value;
  const result = evaluate(pred, r.value);
  return result === "mismatch" ? mode === "failClosed" : result;
}

/** Whether every predicate holds (an empty list holds). */
export function allPredicatesHold(
  preds: readonly ArgumentPredicate[],
  args: unknown,
  mode: PredicateMode = "strict",
): boolean {
  return preds.every((p) => predicateHolds(p, args, mode));
}

/** Short human text of a predicate, for explain and diff reports. */
export function describePredicate(pred: ArgumentPredicate): string {
  return `${pred.path} ${pred.op} ${JSON.stringify(pred.value)}`;
}
