import { child, type PathNode } from "./json-path";
import { count, maskString, type MaskEnv } from "./mask-string";
import {
  forcedByPath,
  forcedReplacement,
  isProtocolToken,
  keyInfo,
  looksLikeJson,
  PROTOCOL_KEYS,
  RELATIVE_ROOTS,
  set,
  type Forced,
  type Parent,
} from "./walk-parts";

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
  /**
   * The value is not a root but a string met inside another walk at this depth, under this
   * field (dual-walker.ts hands one copy's embedded JSON over): its bytes were counted there.
   */
  inner?: { depth: number; fieldKey: string };
}

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

  const inner = opts.inner;
  visit(value, holder as unknown as Parent, "v", inner?.depth ?? 0, null, null, inner?.fieldKey ?? "", null, !!inner);
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
