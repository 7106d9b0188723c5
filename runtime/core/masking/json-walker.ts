import { child, pathMatches, type PathNode } from "./json-path";
import { FIELD_TYPE } from "./mask-plan";
import { count, findAll, maskString, type MaskEnv } from "./mask-string";
import { isSecretFieldName, normalizeFieldName } from "./detectors/secret-names";
import { replacementFor, type MaskStyle } from "./replacement";

/** Why a value could not be scanned; the masker turns it into ERR_RESULT_WITHHELD (or passes it). */
export class Unscannable extends Error {
  constructor(readonly reason: "too_large" | "too_deep" | "malformed") {
    super(`cannot be scanned: ${reason}`);
  }
}

export interface WalkOptions {
  maxDepth: number;
  maxBytes: number;
  /** The value is a JSON-RPC message: its top-level jsonrpc, id and method are protocol, not data. */
  message: boolean;
}

interface Forced {
  type: string;
  style: MaskStyle;
}

type Parent = Record<string, unknown> | unknown[];

/** A container or a JSON-looking string still to walk. Scalars are handled inline, without a frame. */
interface ValueFrame {
  kind: 0;
  v: unknown;
  /** A container's copy, already in its parent (so each is stored once); null for a string. */
  out: Parent | null;
  parent: Parent;
  key: string | number;
  depth: number;
  path: PathNode | null;
  /** Root of relative field paths: structuredContent, arguments, embedded JSON. */
  rel: PathNode | null;
  fieldKey: string;
  forced: Forced | null;
  embedded: boolean;
}

/** Re-serializes an embedded JSON document once everything inside it has been masked. */
interface EmbeddedDone {
  kind: 1;
  holder: { v: unknown };
  parent: Parent;
  key: string | number;
  original: string;
  pretty: boolean;
  replacedBefore: number;
}

/** What is known about a field name under one plan (cached: names repeat in every item of a list). */
interface KeyInfo {
  lower: string;
  /** Masking by name (rule fieldNames or secret names); path rules are checked per occurrence. */
  forced: Forced | null;
  /** The name with sensitive content masked, or null when it is clean. */
  masked: string | null;
  types: string[];
}

const KEY_CACHE_MAX = 10_000;
const PROTOCOL_KEYS = new Set(["jsonrpc", "id", "method"]);
const RELATIVE_ROOTS = new Set(["structuredContent", "arguments"]);

function set(parent: Parent, key: string | number, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  else (parent as Record<string | number, unknown>)[key] = value;
}

/** A protocol enum such as a content item's `type` or a `mimeType`: short, one token. */
function isProtocolToken(key: string, v: unknown): boolean {
  return (
    (key === "type" || key === "mimeType") &&
    typeof v === "string" &&
    v.length <= 64 &&
    /^[A-Za-z][A-Za-z_./+-]*$/.test(v)
  );
}

function looksLikeJson(s: string): boolean {
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
function forcedReplacement(s: string, forced: Forced, env: MaskEnv, fieldKey: string): string {
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

function keyInfo(key: string, env: MaskEnv): KeyInfo {
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

/**
 * Masks a JSON value (a JSON-RPC message, call arguments, a structured result) into a new value,
 * iteratively (an explicit stack, no recursion: any nesting is safe, and beyond maxDepth it is
 * refused as unscannable). Strings are scanned by content; strings that hold JSON are parsed,
 * masked structurally and re-serialized when something inside was masked; values of
 * secret-named fields and of policy field names/paths are masked whole. The input is not modified.
 */
export function walkJson(value: unknown, env: MaskEnv, opts: WalkOptions): unknown {
  const holder: { v: unknown } = { v: undefined };
  const plan = env.plan;
  const trackPaths = plan.fieldPaths.length > 0;
  const stack: (ValueFrame | EmbeddedDone)[] = [];
  let bytes = 0;

  /** Handles a scalar inline; pushes a frame for a container or a JSON-looking string. */
  function visit(
    v: unknown,
    parent: Parent,
    key: string | number,
    depth: number,
    path: PathNode | null,
    rel: PathNode | null,
    fieldKey: string,
    forced: Forced | null,
    embedded: boolean,
  ): void {
    env.st.steps++;
    if (typeof v === "string") {
      if (!embedded) {
        bytes += v.length < 64 ? v.length : Buffer.byteLength(v, "utf8");
        if (bytes > opts.maxBytes) throw new Unscannable("too_large");
      }
      if (v.length === 0) set(parent, key, v);
      else if (forced) set(parent, key, forcedReplacement(v, forced, env, fieldKey));
      else if (looksLikeJson(v)) {
        set(parent, key, undefined); // keeps the key's place in its object
        stack.push({ kind: 0, v, out: null, parent, key, depth, path, rel, fieldKey, forced, embedded });
      } else set(parent, key, maskString(v, env, fieldKey));
    } else if (typeof v === "number") {
      if (forced) set(parent, key, forcedReplacement(String(v), forced, env, fieldKey));
      else if (Number.isInteger(v) && Math.abs(v) >= 1e8) {
        const s = String(v);
        const masked = maskString(s, env, fieldKey);
        set(parent, key, masked === s ? v : masked);
      } else set(parent, key, v);
    } else if (v !== null && typeof v === "object") {
      if (depth > opts.maxDepth) throw new Unscannable("too_deep");
      // Filled when its frame is popped; stored now to keep the key's place in its object.
      const out: Parent = Array.isArray(v) ? new Array<unknown>(v.length) : {};
      set(parent, key, out);
      stack.push({ kind: 0, v, out, parent, key, depth, path, rel, fieldKey, forced, embedded });
    } else {
      set(parent, key, v);
    }
  }

  visit(value, holder as unknown as Parent, "v", 0, null, null, "", null, false);
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.kind === 1) {
      set(
        f.parent,
        f.key,
        env.replaced > f.replacedBefore ? JSON.stringify(f.holder.v, null, f.pretty ? 2 : undefined) : f.original,
      );
      continue;
    }
    const v = f.v;
    const depth = f.depth + 1;
    if (typeof v === "string") {
      // A string holding JSON: mask it structurally, re-serialize afterwards.
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        set(f.parent, f.key, maskString(v, env, f.fieldKey));
        continue;
      }
      const h = { v: undefined as unknown };
      stack.push({
        kind: 1,
        holder: h,
        parent: f.parent,
        key: f.key,
        original: v,
        pretty: v.includes("\n"),
        replacedBefore: env.replaced,
      });
      visit(parsed, h as unknown as Parent, "v", depth, null, null, f.fieldKey, null, true);
    } else if (Array.isArray(v)) {
      const out = f.out as unknown[];
      for (let k = 0; k < v.length; k++) {
        const path = trackPaths ? child(f.path, String(k)) : null;
        visit(v[k], out, k, depth, path, f.rel, f.fieldKey, f.forced, f.embedded);
      }
    } else {
      const out = f.out as Record<string, unknown>;
      // The message itself, or one message of a batch.
      const top = opts.message && (f.depth === 0 || (f.depth === 1 && !f.embedded && Array.isArray(value)));
      for (const key of Object.keys(v as object)) {
        const cv = (v as Record<string, unknown>)[key];
        if ((top && PROTOCOL_KEYS.has(key)) || isProtocolToken(key, cv)) {
          set(out, key, cv);
          continue;
        }
        if (!f.embedded) bytes += key.length;
        const info = keyInfo(key, env);
        const path = trackPaths ? child(f.path, key) : null;
        const rel = trackPaths && RELATIVE_ROOTS.has(key) ? path : f.rel;
        let forced = f.forced ?? info.forced;
        if (forced === null && trackPaths) forced = forcedByPath(path, f.rel, env);
        let outKey = key;
        if (info.masked !== null) {
          for (const t of info.types) count(env, t);
          outKey = info.masked;
          for (let n = 2; Object.hasOwn(out, outKey); n++) outKey = `${info.masked}#${n}`;
        }
        visit(cv, out, outKey, depth, path, rel, info.lower, forced, f.embedded);
      }
    }
  }
  return holder.v;
}

function forcedByPath(path: PathNode | null, rel: PathNode | null, env: MaskEnv): Forced | null {
  for (const p of env.plan.fieldPaths) {
    if (pathMatches(path, null, p.segments) || (rel !== null && pathMatches(path, rel, p.segments)))
      return { type: FIELD_TYPE, style: p.style };
  }
  return null;
}
