import { child, type PathNode } from "./json-path";
import { maskStringCopies, type CopyPair, type CopyStats } from "./dual-scan";
import { walkJson, Unscannable, type WalkOptions } from "./json-walker";
import { frame, outKeyOf, type EmbeddedDone, type Frame, type OneCopy } from "./dual-frames";
import { maskString, type MaskEnv } from "./mask-string";
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

/**
 * walkJson for the client copy (env c) and the audit copy (env a) of one value in one walk:
 * the same frames in the same order as each copy's own walk, so each copy's output and counts
 * (their order included) are exactly walkJson's. Strings both copies scan are scanned once
 * (dual-scan.ts); field rules, whole-value masking and key renames stay per copy. Throws
 * Unscannable where either copy's own walk would throw; the caller then walks each copy alone,
 * so that which error (or pass) each copy gets is decided by walkJson itself.
 */
export function walkJsonCopies(
  value: unknown,
  c: MaskEnv,
  a: MaskEnv,
  pair: CopyPair,
  stats: CopyStats,
  opts: WalkOptions,
): [unknown, unknown] {
  const holderC: { v: unknown } = { v: undefined };
  const holderA: { v: unknown } = { v: undefined };
  const trackC = c.plan.fieldPaths.length > 0;
  const trackA = a.plan.fieldPaths.length > 0;
  const trackPaths = trackC || trackA;
  const stack: (Frame | EmbeddedDone | OneCopy)[] = [];
  let bytes = 0;
  const inner = (depth: number, fieldKey: string): WalkOptions => ({
    maxDepth: opts.maxDepth,
    maxBytes: Number.MAX_SAFE_INTEGER,
    message: false,
    inner: { depth, fieldKey },
  });

  /** One copy's string when the other copy masks it whole. */
  function oneString(v: string, env: MaskEnv, parent: Parent, key: string | number, depth: number, fk: string): void {
    if (looksLikeJson(v)) {
      set(parent, key, undefined);
      stack.push({ kind: 2, v, env, parent, key, depth, fieldKey: fk });
    } else set(parent, key, maskString(v, env, fk));
  }

  function oneNumber(v: number, env: MaskEnv, parent: Parent, key: string | number, fk: string): void {
    if (Number.isInteger(v) && Math.abs(v) >= 1e8) {
      const s = String(v);
      const masked = maskString(s, env, fk);
      set(parent, key, masked === s ? v : masked);
    } else set(parent, key, v);
  }

  /** Handles a scalar inline for both copies; pushes a frame for a container or a JSON-looking string. */
  function visit(
    v: unknown,
    parentC: Parent,
    parentA: Parent,
    keyC: string | number,
    keyA: string | number,
    depth: number,
    path: PathNode | null,
    rel: PathNode | null,
    fk: string,
    forcedC: Forced | null,
    forcedA: Forced | null,
    embedded: boolean,
  ): void {
    c.st.steps++;
    if (typeof v === "string") {
      if (!embedded) {
        bytes += v.length < 64 ? v.length : Buffer.byteLength(v, "utf8");
        if (bytes > opts.maxBytes) throw new Unscannable("too_large");
      }
      if (v.length === 0) {
        set(parentC, keyC, v);
        set(parentA, keyA, v);
      } else if (forcedC !== null || forcedA !== null) {
        if (forcedC !== null) set(parentC, keyC, forcedReplacement(v, forcedC, c, fk));
        else oneString(v, c, parentC, keyC, depth, fk);
        if (forcedA !== null) set(parentA, keyA, forcedReplacement(v, forcedA, a, fk));
        else oneString(v, a, parentA, keyA, depth, fk);
      } else if (looksLikeJson(v)) {
        set(parentC, keyC, undefined); // keeps the key's place in each copy's object
        set(parentA, keyA, undefined);
        stack.push(frame(v, null, null, parentC, parentA, keyC, keyA, depth, path, rel, fk, null, null, embedded));
      } else {
        const [mc, ma] = maskStringCopies(v, c, a, pair, stats, fk);
        set(parentC, keyC, mc);
        set(parentA, keyA, ma);
      }
    } else if (typeof v === "number") {
      if (forcedC !== null || forcedA !== null) {
        if (forcedC !== null) set(parentC, keyC, forcedReplacement(String(v), forcedC, c, fk));
        else oneNumber(v, c, parentC, keyC, fk);
        if (forcedA !== null) set(parentA, keyA, forcedReplacement(String(v), forcedA, a, fk));
        else oneNumber(v, a, parentA, keyA, fk);
      } else if (Number.isInteger(v) && Math.abs(v) >= 1e8) {
        const s = String(v);
        const [mc, ma] = maskStringCopies(s, c, a, pair, stats, fk);
        set(parentC, keyC, mc === s ? v : mc);
        set(parentA, keyA, ma === s ? v : ma);
      } else {
        set(parentC, keyC, v);
        set(parentA, keyA, v);
      }
    } else if (v !== null && typeof v === "object") {
      if (depth > opts.maxDepth) throw new Unscannable("too_deep");
      // Filled when its frame is popped; stored now to keep the key's place in each copy's object.
      const arr = Array.isArray(v);
      const outC: Parent = arr ? new Array<unknown>(v.length) : {};
      const outA: Parent = arr ? new Array<unknown>(v.length) : {};
      set(parentC, keyC, outC);
      set(parentA, keyA, outA);
      stack.push(frame(v, outC, outA, parentC, parentA, keyC, keyA, depth, path, rel, fk, forcedC, forcedA, embedded));
    } else {
      set(parentC, keyC, v);
      set(parentA, keyA, v);
    }
  }

  const rootC = holderC as unknown as Parent;
  const rootA = holderA as unknown as Parent;
  visit(value, rootC, rootA, "v", "v", 0, null, null, "", null, null, false);
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.kind === 2) {
      set(f.parent, f.key, walkJson(f.v, f.env, inner(f.depth, f.fieldKey)));
      continue;
    }
    if (f.kind === 1) {
      const indent = f.pretty ? 2 : undefined;
      set(f.parentC, f.keyC, c.replaced > f.beforeC ? JSON.stringify(f.holderC.v, null, indent) : f.original);
      set(f.parentA, f.keyA, a.replaced > f.beforeA ? JSON.stringify(f.holderA.v, null, indent) : f.original);
      continue;
    }
    const v = f.v;
    const depth = f.depth + 1;
    if (typeof v === "string") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        const [mc, ma] = maskStringCopies(v, c, a, pair, stats, f.fieldKey);
        set(f.parentC, f.keyC, mc);
        set(f.parentA, f.keyA, ma);
        continue;
      }
      const hC = { v: undefined as unknown };
      const hA = { v: undefined as unknown };
      stack.push({
        kind: 1,
        holderC: hC,
        holderA: hA,
        parentC: f.parentC,
        parentA: f.parentA,
        keyC: f.keyC,
        keyA: f.keyA,
        original: v,
        pretty: v.includes("\n"),
        beforeC: c.replaced,
        beforeA: a.replaced,
      });
      const pc = hC as unknown as Parent;
      const pa = hA as unknown as Parent;
      visit(parsed, pc, pa, "v", "v", depth, null, null, f.fieldKey, null, null, true);
    } else if (Array.isArray(v)) {
      const outC = f.outC as unknown[];
      const outA = f.outA as unknown[];
      for (let k = 0; k < v.length; k++) {
        const path = trackPaths ? child(f.path, String(k)) : null;
        visit(v[k], outC, outA, k, k, depth, path, f.rel, f.fieldKey, f.forcedC, f.forcedA, f.embedded);
      }
    } else {
      const outC = f.outC as Record<string, unknown>;
      const outA = f.outA as Record<string, unknown>;
      const top = opts.message && (f.depth === 0 || (f.depth === 1 && !f.embedded && Array.isArray(value)));
      for (const key of Object.keys(v as object)) {
        const cv = (v as Record<string, unknown>)[key];
        if ((top && PROTOCOL_KEYS.has(key)) || isProtocolToken(key, cv)) {
          set(outC, key, cv);
          set(outA, key, cv);
          continue;
        }
        if (!f.embedded) bytes += key.length;
        const infoC = keyInfo(key, c);
        const infoA = keyInfo(key, a);
        const path = trackPaths ? child(f.path, key) : null;
        const rel = trackPaths && RELATIVE_ROOTS.has(key) ? path : f.rel;
        let forcedC = f.forcedC ?? infoC.forced;
        if (forcedC === null && trackC) forcedC = forcedByPath(path, f.rel, c);
        let forcedA = f.forcedA ?? infoA.forced;
        if (forcedA === null && trackA) forcedA = forcedByPath(path, f.rel, a);
        const keyC = outKeyOf(key, infoC, outC, c);
        const keyA = outKeyOf(key, infoA, outA, a);
        visit(cv, outC, outA, keyC, keyA, depth, path, rel, infoC.lower, forcedC, forcedA, f.embedded);
      }
    }
  }
  return [holderC.v, holderA.v];
}
