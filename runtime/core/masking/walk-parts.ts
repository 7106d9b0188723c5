/**
 * What the JSON walkers (json-walker.ts: one copy; dual-walker.ts: the client and audit copies in
 * one walk) decide the same way: field names, whole-value masking, protocol tokens, JSON-looking
 * strings.
 */
import { pathMatches, type PathNode } from "./json-path";
import { FIELD_TYPE } from "./mask-plan";
import { count, findAll, maskString, type MaskEnv } from "./mask-string";
import { isSecretFieldName, normalizeFieldName } from "./detectors/secret-names";
import { replacementFor, type MaskStyle } from "./replacement";

export interface Forced {
  type: string;
  style: MaskStyle;
}

export type Parent = Record<string, unknown> | unknown[];

/** What is known about a field name under one plan (cached: names repeat in every item of a list). */
export interface KeyInfo {
  lower: string;
  /** Masking by name (rule fieldNames or secret names); path rules are checked per occurrence. */
  forced: Forced | null;
  /** The name with sensitive content masked, or null when it is clean. */
  masked: string | null;
  types: string[];
}

const KEY_CACHE_MAX = 10_000;
export const PROTOCOL_KEYS = new Set(["jsonrpc", "id", "method"]);
export const RELATIVE_ROOTS = new Set(["structuredContent", "arguments"]);

export function set(parent: Parent, key: string | number, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  else (parent as Record<string | number, unknown>)[key] = value;
}

/** A protocol enum such as a content item's `type` or a `mimeType`: short, one token. */
export function isProtocolToken(key: string, v: unknown): boolean {
  return (
    (key === "type" || key === "mimeType") &&
    typeof v === "string" &&
    v.length <= 64 &&
    /^[A-Za-z][A-Za-z_./+-]*$/.test(v)
  );
}

export function looksLikeJson(s: string): boolean {
  let a = 0;
  let b = s.length - 1;
  while (a <= b && s.charCodeAt(a) <= 32) a++;
  while (b >= a && s.charCodeAt(b) <= 32) b--;
  if (b - a < 1) return false;
  const first = s.charCodeAt(a);
  const last = s.charCodeAt(b);
  return (first === 123 && last === 125) || (first === 91 && last === 93);
}

/** Whole-value replacement under a secret or policy field; secret_field takes a more specific type when one detector names the value. */
export function forcedReplacement(s: string, forced: Forced, env: MaskEnv, fieldKey: string): string {
  let type = forced.type;
  let style = forced.style;
  if (type === "secret_field") {
    const found = findAll(s, env, fieldKey);
    if (found.length === 1 && found[0].type !== "secret_field") {
      type = found[0].type;
      style = env.plan.styles.get(type) ?? style;
    }
  }
  count(env, type);
  return replacementFor(type, style, s, env.hashKey);
}

export function keyInfo(key: string, env: MaskEnv): KeyInfo {
  const cache = env.plan.keyCache as Map<string, KeyInfo>;
  let info = cache.get(key);
  if (info === undefined) {
    const plan = env.plan;
    let forced: Forced | null = null;
    const byName = plan.fieldNames.size > 0 ? plan.fieldNames.get(normalizeFieldName(key)) : undefined;
    if (byName) forced = { type: FIELD_TYPE, style: byName };
    else if (plan.secretFields && isSecretFieldName(key))
      forced = { type: "secret_field", style: plan.styles.get("secret_field") ?? "redact" };
    const found = plan.empty ? [] : findAll(key, env, "");
    let masked: string | null = null;
    if (found.length > 0) {
      const before = env.replaced;
      const counts = env.counts;
      env.counts = {};
      masked = maskString(key, env, "");
      env.counts = counts;
      env.replaced = before;
    }
    info = { lower: key.toLowerCase(), forced, masked, types: found.map((f) => f.type) };
    if (cache.size >= KEY_CACHE_MAX) cache.clear();
    cache.set(key, info);
  }
  return info;
}

export function forcedByPath(path: PathNode | null, rel: PathNode | null, env: MaskEnv): Forced | null {
  for (const p of env.plan.fieldPaths) {
    if (pathMatches(path, null, p.segments) || (rel !== null && pathMatches(path, rel, p.segments)))
      return { type: FIELD_TYPE, style: p.style };
  }
  return null;
}
