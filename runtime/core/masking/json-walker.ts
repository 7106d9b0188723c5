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

interface ValueFrame {
  kind: 0;
  v: unknown;
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

interface EmbeddedDone {
  kind: 1;
  holder: { v: unknown };
  parent: Parent;
  key: string | number;
  original: string;
  pretty: boolean;
  replacedBefore: number;
}

const PROTOCOL_KEYS = new Set(["jsonrpc", "id", "method"]);
const RELATIVE_ROOTS = new Set(["structuredContent", "arguments"]);

function set(parent: Parent, key: string | number, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  else (parent as Record<string | number, unknown>)[key] = value;
}

/** A protocol enum such as a content item's `type` or a `mimeType`: short, no spaces, no digits runs. */
function isProtocolToken(key: string, v: unknown): boolean {
  return (key === "type" || key === "mimeType") && typeof v === "string" && v.length <= 64 && /^[A-Za-z][A-Za-z_./+-]*$/.test(v);
}

function looksLikeJson(s: string): boolean {
  let a = 0;
  let b = s.length - 1;
  while (a <= b && s.charCodeAt(a) <= 32) a++;
  while (b >= a && s.charCodeAt(b) <= 32) b--;
  if (b - a < 1) return false;
  const first = s[a];
  const last = s[b];
  return (first === "{" && last === "}") || (first === "[" && last === "]");
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

/**
 * Masks a JSON value (a JSON-RPC message, call arguments, a structured result) into a new value,
 * iteratively (an explicit stack, no recursion: any nesting depth is safe, and beyond maxDepth
 * it is refused as unscannable). Strings are scanned by content; strings that hold JSON are
 * parsed, masked structurally and re-serialized when something inside was masked; values of
 * secret-named fields and of policy field names/paths are masked whole. The input is not modified.
 */
export function walkJson(value: unknown, env: MaskEnv, opts: WalkOptions): unknown {
  const holder: { v: unknown } = { v: undefined };
  const plan = env.plan;
  const trackPaths = plan.fieldPaths.length > 0;
  const stack: (ValueFrame | EmbeddedDone)[] = [
    { kind: 0, v: value, parent: holder as unknown as Parent, key: "v", depth: 0, path: null, rel: null, fieldKey: "", forced: null, embedded: false },
  ];
  let bytes = 0;
  while (stack.length > 0) {
    const f = stack.pop()!;
    env.st.steps++;
    if (f.kind === 1) {
      set(f.parent, f.key, env.replaced > f.replacedBefore ? JSON.stringify(f.holder.v, null, f.pretty ? 2 : undefined) : f.original);
      continue;
    }
    if (f.depth > opts.maxDepth) throw new Unscannable("too_deep");
    const v = f.v;
    if (typeof v === "string") {
      if (!f.embedded) {
        bytes += v.length < 64 ? v.length : Buffer.byteLength(v, "utf8");
        if (bytes > opts.maxBytes) throw new Unscannable("too_large");
      }
      if (f.forced) {
        set(f.parent, f.key, v.length === 0 ? v : forcedReplacement(v, f.forced, env, f.fieldKey));
      } else if (looksLikeJson(v)) {
        let parsed: unknown;
        let ok = true;
        try {
          parsed = JSON.parse(v);
        } catch {
          ok = false;
        }
        if (ok) {
          const h = { v: undefined as unknown };
          stack.push({ kind: 1, holder: h, parent: f.parent, key: f.key, original: v, pretty: v.includes("\n"), replacedBefore: env.replaced });
          stack.push({ kind: 0, v: parsed, parent: h as unknown as Parent, key: "v", depth: f.depth + 1, path: null, rel: null, fieldKey: f.fieldKey, forced: null, embedded: true });
        } else {
          set(f.parent, f.key, maskString(v, env, f.fieldKey));
        }
      } else {
        set(f.parent, f.key, maskString(v, env, f.fieldKey));
      }
    } else if (typeof v === "number") {
      if (f.forced) set(f.parent, f.key, forcedReplacement(String(v), f.forced, env, f.fieldKey));
      else if (Number.isInteger(v) && Math.abs(v) >= 1e8) {
        const s = String(v);
        const masked = maskString(s, env, f.fieldKey);
        set(f.parent, f.key, masked === s ? v : masked);
      } else set(f.parent, f.key, v);
    } else if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      set(f.parent, f.key, out);
      for (let k = v.length - 1; k >= 0; k--) {
        const path = trackPaths ? child(f.path, String(k)) : null;
        stack.push({ kind: 0, v: v[k], parent: out, key: k, depth: f.depth + 1, path, rel: f.rel, fieldKey: f.fieldKey, forced: f.forced, embedded: f.embedded });
      }
    } else if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      set(f.parent, f.key, out);
      const top = opts.message && f.depth === 0;
      const keys = Object.keys(v);
      // Keys are assigned in order now (placeholders) and filled as the stack pops them in reverse.
      const frames: ValueFrame[] = [];
      for (const key of keys) {
        const cv = (v as Record<string, unknown>)[key];
        if ((top && PROTOCOL_KEYS.has(key)) || isProtocolToken(key, cv)) {
          set(out, key, cv);
          continue;
        }
        if (!f.embedded) bytes += key.length;
        const path = trackPaths ? child(f.path, key) : null;
        const rel = trackPaths && RELATIVE_ROOTS.has(key) ? path : f.rel;
        let forced = f.forced;
        if (forced === null) forced = forcedFor(key, path, f.rel, env);
        let outKey = plan.empty ? key : maskString(key, env, "");
        if (outKey !== key) for (let n = 2; Object.hasOwn(out, outKey); n++) outKey = `${outKey.replace(/#\d+$/, "")}#${n}`;
        set(out, outKey, undefined);
        frames.push({ kind: 0, v: cv, parent: out, key: outKey, depth: f.depth + 1, path, rel, fieldKey: key.toLowerCase(), forced, embedded: f.embedded });
      }
      for (let k = frames.length - 1; k >= 0; k--) stack.push(frames[k]);
    } else {
      set(f.parent, f.key, v);
    }
  }
  return holder.v;
}

function forcedFor(key: string, path: PathNode | null, rel: PathNode | null, env: MaskEnv): Forced | null {
  const plan = env.plan;
  if (plan.fieldNames.size > 0) {
    const style = plan.fieldNames.get(normalizeFieldName(key));
    if (style) return { type: FIELD_TYPE, style };
  }
  for (const p of plan.fieldPaths) {
    if (pathMatches(path, null, p.segments) || (rel !== null && pathMatches(path, rel, p.segments))) return { type: FIELD_TYPE, style: p.style };
  }
  if (plan.secretFields && isSecretFieldName(key)) return { type: "secret_field", style: plan.styles.get("secret_field") ?? "redact" };
  return null;
}
