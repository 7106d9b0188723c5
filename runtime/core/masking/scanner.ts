import { ALNUM, CLASS } from "./char-class";
import type { Detector } from "./detector";
import { digitsAhead } from "./digits-ahead";
import { buildDispatch, OTHER, type Dispatch } from "./dispatch";
import { shapeIndex } from "./run-shape";
import { ScanState, type Finding } from "./scan-state";

/**
 * One pass over the characters with a dispatch on the character: a 128-entry table of the
 * detectors each ASCII character can start (dispatch.ts). Alphanumeric triggers fire only at the
 * start of an alphanumeric run, and the rest of the run is skipped by a tight loop with no calls,
 * so prose costs little more than reading it. The detectors' declarative pre-filters (run shape,
 * the characters before and after the trigger) are folded into bit masks, so a detector is
 * called only where it may match. Every detector reads a bounded window (or a memoised one),
 * so the work is linear in the input length; `ScanState.steps` counts it.
 */
export class Scanner {
  private readonly table: (Dispatch | null)[];
  /** Per ASCII character: 0 nothing starts here, 1 alphanumeric (a run may start), 2 another trigger. */
  private readonly kind = new Uint8Array(128);

  constructor(readonly detectors: readonly Detector[]) {
    this.table = buildDispatch(detectors);
    for (let c = 0; c < 128; c++) this.kind[c] = CLASS[c] & ALNUM ? 1 : this.table[c] !== null ? 2 : 0;
  }

  /** Findings in `text`, sorted and with overlaps merged (a specific type wins over secret_field). */
  scan(text: string, st: ScanState = new ScanState()): Finding[] {
    const found = this.scanRaw(text, st);
    return found.length > 1 ? mergeFindings(found) : found;
  }

  /**
   * The findings as the detectors made them, in scan order, before overlaps are merged: what
   * dual-scan.ts needs to tell whether another detector set would have found the same.
   * The objects are fresh (mergeFindings mutates them); NONE when nothing was found.
   */
  scanRaw(text: string, st: ScanState = new ScanState()): Finding[] {
    let found: Finding[] | null = null;
    if (this.detectors.length === 0) return NONE;
    // Locals, not module bindings, on the hot path.
    const table = this.table;
    const kind = this.kind;
    const n = text.length;
    st.steps += n;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const k0 = c < 128 ? kind[c] : 0;
      if (k0 === 0) continue;
      const ds = table[c];
      if (k0 === 2) {
        let m = ds!.before[codeBefore(text, i)];
        if (m !== 0) m &= ds!.next[codeAt(text, i + 1)];
        for (let k = 0; m !== 0; k++, m >>>= 1) {
          if ((m & 1) === 0) continue;
          if (ds!.entries[k].detector.match(text, i, st)) {
            (found ??= []).push({ start: st.start, end: st.end, type: st.type });
            if (st.jump && st.end > i) i = st.end - 1;
            break;
          }
        }
        continue;
      }
      // An alphanumeric run starts here: measure it (no detector starts inside one), then try
      // the detectors its shape allows.
      let e = i + 1;
      /** The character after the run (0 at the end of the text), kept from the loop that found the end. */
      let after = 0;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d >= 128 || kind[d] !== 1) {
          after = d;
          break;
        }
        e++;
      }
      let next = e - 1;
      const runLen = e - i;
      // A key's base64 run continues past the alphanumerics only through + or / (padding = comes
      // after a full-length run), so a short run followed by anything else cannot be one.
      const extends64 = after === 43 || after === 47;
      if (ds !== null && (runLen >= ds.gate || extends64)) {
        const f = e + 1 < n ? text.charCodeAt(e + 1) : 0;
        let m = ds.shape[shapeIndex(runLen, after, f >= 48 && f <= 57)];
        if (m !== 0) {
          m &= ds.before[codeBefore(text, i)] & ds.next[codeAt(text, i + 1)];
          st.runLen = runLen;
          st.runAfter = after;
        }
        /** digitsAhead at i, counted at most once per run and only when a detector asks (-1: not yet). */
        let digits = -1;
        for (let k = 0; m !== 0; k++, m >>>= 1) {
          if ((m & 1) === 0) continue;
          const d = ds.entries[k];
          if (runLen < d.minRun && !extends64) continue;
          if (d.minDigits > 0) {
            if (digits < 0) digits = digitsAhead(text, i, st);
            if (digits < d.minDigits) continue;
          }
          if (d.detector.match(text, i, st)) {
            (found ??= []).push({ start: st.start, end: st.end, type: st.type });
            if (st.jump && st.end > i) next = st.end - 1;
            break;
          }
        }
      }
      i = next;
    }
    return found ?? NONE;
  }
}

/** The character at `i` as an index of Dispatch.before/next: OTHER when non-ASCII or outside the text. */
function codeAt(text: string, i: number): number {
  // Bounds first: charCodeAt outside the text returns NaN, a double that slows the hot loop.
  if (i >= text.length) return OTHER;
  const c = text.charCodeAt(i);
  return c < OTHER ? c : OTHER;
}

function codeBefore(text: string, i: number): number {
  return i > 0 ? codeAt(text, i - 1) : OTHER;
}

/** The shared result of a scan that found nothing (never mutated: callers copy before adding). */
export const NONE: Finding[] = Object.freeze([]) as unknown as Finding[];

export function mergeFindings(found: Finding[]): Finding[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [found[0]];
  for (let k = 1; k < found.length; k++) {
    const f = found[k];
    const cur = out[out.length - 1];
    if (f.start < cur.end) {
      if (f.end > cur.end) cur.end = f.end;
      if (cur.type === "secret_field" && f.type !== "secret_field") cur.type = f.type;
    } else {
      out.push(f);
    }
  }
  return out;
}
