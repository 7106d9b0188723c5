import { ALNUM, CLASS } from "./char-class";
import type { Detector } from "./detector";
import { SHAPE_MAX_LEN, shapeIndex } from "./run-shape";

/** One detector in a trigger's list; every entry has the same shape, so the hot loop's loads stay monomorphic. */
export interface Entry {
  readonly minRun: number;
  /** Detector.minDigits, 0 when it has none. */
  readonly minDigits: number;
  readonly detector: Detector;
}

/**
 * What the scanner does at one trigger character: its detectors in priority order, and the
 * detectors' declarative pre-filters folded into bit masks (bit k = entry k may match), so that
 * one or two array reads decide which detectors to call, most often none (issue 15: detector
 * calls that returned false at once were most of the scan's cost).
 */
export interface Dispatch {
  readonly entries: readonly Entry[];
  /** By the character before the trigger: an ASCII code, or OTHER for non-ASCII or the start of the text. */
  readonly before: Uint16Array;
  /** By the character after the trigger: an ASCII code, or OTHER for non-ASCII or the end of the text. */
  readonly next: Uint16Array;
  /** Alphanumeric triggers: by run shape (shapeIndex); minRun folded in below SHAPE_MAX_LEN. */
  readonly shape: Uint16Array;
  /** Alphanumeric triggers: runs shorter than this that do not continue in base64 call nothing. */
  readonly gate: number;
}

/** The index of a character that is not ASCII, or of no character at all, in `before` and `next`. */
export const OTHER = 128;
/** At most this many detectors share one trigger character (bits of a Uint16Array). */
const MAX_ENTRIES = 16;

function charMask(entries: readonly Entry[], allows: (d: Detector, code: number) => boolean): Uint16Array {
  const mask = new Uint16Array(OTHER + 1);
  for (let k = 0; k < entries.length; k++)
    for (let code = 0; code <= OTHER; code++)
      if (code === OTHER || allows(entries[k].detector, code)) mask[code] |= 1 << k;
  return mask;
}

/** A base64 key's run continues past the alphanumerics through + or /, whatever its length so far. */
const extends64 = (after: number) => after === 43 || after === 47;

function shapeMask(entries: readonly Entry[]): Uint16Array {
  const mask = new Uint16Array(shapeIndex(SHAPE_MAX_LEN, OTHER, true) + 1);
  for (let k = 0; k < entries.length; k++) {
    const bit = 1 << k;
    const shape = entries[k].detector.runShape;
    // The last length bucket holds every longer run: minRun is checked again per run.
    const minRun = Math.min(entries[k].minRun, SHAPE_MAX_LEN);
    if (!shape) {
      // Lengths are the major index: every run from minRun up is one range of the table.
      for (let x = shapeIndex(minRun, 0, false); x < mask.length; x++) mask[x] |= bit;
      for (let len = 0; len < minRun; len++)
        for (const after of [43, 47]) {
          mask[shapeIndex(len, after, false)] |= bit;
          mask[shapeIndex(len, after, true)] |= bit;
        }
      continue;
    }
    for (let len = 0; len <= SHAPE_MAX_LEN; len++)
      for (let after = 0; after <= OTHER; after++) {
        if (len < minRun && !extends64(after)) continue;
        const at = shapeIndex(len, after, false);
        if (shape(len, after, false)) mask[at] |= bit;
        if (shape(len, after, true)) mask[at | 1] |= bit;
      }
  }
  return mask;
}

function gateOf(shape: Uint16Array): number {
  for (let len = 0; len <= SHAPE_MAX_LEN; len++)
    for (let after = 0; after <= OTHER; after++)
      if (!extends64(after) && (shape[shapeIndex(len, after, false)] | shape[shapeIndex(len, after, true)]) !== 0)
        return len;
  return SHAPE_MAX_LEN;
}

const NO_SHAPE = new Uint16Array(0);

/**
 * Characters with the same detectors share one dispatch, within a scanner and across scanners
 * (every plan's detector set builds one): the shape masks are 17 KB each and take a moment to build.
 */
const shared = new Map<string, Dispatch>();

/** The dispatch of every ASCII character that starts at least one of `detectors` (null elsewhere). */
export function buildDispatch(detectors: readonly Detector[]): (Dispatch | null)[] {
  const lists: Entry[][] = Array.from({ length: 128 }, () => []);
  for (const d of detectors)
    for (const ch of d.triggers)
      lists[ch.charCodeAt(0)].push({ minRun: d.minRun ?? 0, minDigits: d.minDigits ?? 0, detector: d });
  return lists.map((entries, c) => {
    if (entries.length === 0) return null;
    if (entries.length > MAX_ENTRIES) throw new TypeError(`more than ${MAX_ENTRIES} detectors start at one character`);
    const alnum = (CLASS[c] & ALNUM) !== 0;
    const key = `${alnum}:${entries.map((e) => e.detector.id).join(",")}`;
    let dispatch = shared.get(key);
    if (!dispatch || dispatch.entries.some((e, k) => e.detector !== entries[k].detector)) {
      const shape = alnum ? shapeMask(entries) : NO_SHAPE;
      dispatch = {
        entries,
        before: charMask(entries, (d, code) => !d.notPrecededBy?.includes(String.fromCharCode(code))),
        next: charMask(
          entries,
          (d, code) => d.followedBy === undefined || d.followedBy.includes(String.fromCharCode(code)),
        ),
        shape,
        gate: alnum ? gateOf(shape) : 0,
      };
      shared.set(key, dispatch);
    }
    return dispatch;
  });
}
