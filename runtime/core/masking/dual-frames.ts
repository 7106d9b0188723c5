/** The stack frames of dual-walker.ts: per copy, its own output, key and field state. */
import type { PathNode } from "./json-path";
import { count, type MaskEnv } from "./mask-string";
import type { Forced, KeyInfo, Parent } from "./walk-parts";

/** A container or JSON-looking string both copies still walk; each copy has its own output and field state. */
export interface Frame {
  kind: 0;
  v: unknown;
  outC: Parent | null;
  outA: Parent | null;
  parentC: Parent;
  parentA: Parent;
  keyC: string | number;
  keyA: string | number;
  depth: number;
  path: PathNode | null;
  rel: PathNode | null;
  fieldKey: string;
  forcedC: Forced | null;
  forcedA: Forced | null;
  embedded: boolean;
}

/** Re-serializes an embedded JSON document in each copy where something inside it was masked. */
export interface EmbeddedDone {
  kind: 1;
  holderC: { v: unknown };
  holderA: { v: unknown };
  parentC: Parent;
  parentA: Parent;
  keyC: string | number;
  keyA: string | number;
  original: string;
  pretty: boolean;
  beforeC: number;
  beforeA: number;
}

/** A JSON-looking string only one copy parses (the other masks it whole): walked by walkJson for that copy. */
export interface OneCopy {
  kind: 2;
  v: string;
  env: MaskEnv;
  parent: Parent;
  key: string | number;
  depth: number;
  fieldKey: string;
}

export function frame(
  v: unknown,
  outC: Parent | null,
  outA: Parent | null,
  parentC: Parent,
  parentA: Parent,
  keyC: string | number,
  keyA: string | number,
  depth: number,
  path: PathNode | null,
  rel: PathNode | null,
  fieldKey: string,
  forcedC: Forced | null,
  forcedA: Forced | null,
  embedded: boolean,
): Frame {
  return {
    kind: 0,
    v,
    outC,
    outA,
    parentC,
    parentA,
    keyC,
    keyA,
    depth,
    path,
    rel,
    fieldKey,
    forcedC,
    forcedA,
    embedded,
  };
}

/** The key a copy stores a field under: the masked name (counted), made unique in its object. */
export function outKeyOf(key: string, info: KeyInfo, out: Parent, env: MaskEnv): string {
  if (info.masked === null) return key;
  for (const t of info.types) count(env, t);
  let outKey = info.masked;
  for (let n = 2; Object.hasOwn(out, outKey); n++) outKey = `${info.masked}#${n}`;
  return outKey;
}
