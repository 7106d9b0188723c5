import { ALNUM, CLASS } from "./char-class";
import type { Detector } from "./detector";
import { shapeIndex, shapeTable } from "./run-shape";
import { ScanState, type Finding } from "./scan-state";

/**
 * One pass over the characters with a dispatch on the character: a 128-entry table of the
 * detectors each ASCII character can start. Alphanumeric triggers fire only at the start of an
 * alphanumeric run, and the rest of the run is skipped by a tight loop with no calls, so prose
 * costs little more than reading it. Every detector reads a bounded window (or a memoised one),
 * so the work is linear in the input length; `ScanState.steps` counts it.
 */
/** One dispatch entry; every entry has the same shape, so the hot loop's property loads stay monomorphic. */
interface Entry {
  readonly minRun: number;
  /** The detector's RunShape, tabulated (see run-shape.ts); null when it has none. */
  readonly shape: Uint8Array | null;
  /** The detector's notPrecededBy, as 1 at each rejected ASCII code; null when it has none. */
  readonly notAfter: Uint8Array | null;
  readonly detector: Detector;
}

export class Scanner {
  private readonly table: (Entry[] | null)[] = new Array(128).fill(null);
  /** Per ASCII character: 0 nothing starts here, 1 alphanumeric (a run may start), 2 another trigger. */
  private readonly kind = new Uint8Array(128);
  /**
   * Per ASCII character: the shortest run any of its detectors may match (minRun, 0 when one has
   * a RunShape to consult instead). Runs shorter than this that do not continue in base64 call
   * nothing, which is most words of prose.
   */
  private readonly gate = new Uint8Array(128);

  constructor(readonly detectors: readonly Detector[]) {
    for (const d of detectors) {
      const shape = d.runShape ? shapeTable(d.runShape) : null;
      const notAfter = d.notPrecededBy ? codeSet(d.notPrecededBy) : null;
      for (const ch of d.triggers) {
        const c = ch.charCodeAt(0);
        (this.table[c] ??= []).push({ minRun: d.minRun ?? 0, shape, notAfter, detector: d });
      }
    }
    for (let c = 0; c < 128; c++) {
      this.kind[c] = CLASS[c] & ALNUM ? 1 : this.table[c] !== null ? 2 : 0;
      const entries = this.table[c] ?? [];
      this.gate[c] = Math.min(255, ...entries.map((e) => (e.shape !== null ? 0 : e.minRun)));
    }
  }

  /** Findings in `text`, sorted and with overlaps merged (a specific type wins over secret_field). */
  scan(text: string, st: ScanState = new ScanState()): Finding[] {
    let found: Finding[] | null = null;
    if (this.detectors.length === 0) return NONE;
    // Locals, not module bindings, on the hot path.
    const table = this.table;
    const kind = this.kind;
    const gate = this.gate;
    const n = text.length;
    st.steps += n;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const k0 = c < 128 ? kind[c] : 0;
      if (k0 === 0) continue;
      const ds = table[c];
      if (k0 === 2) {
        for (let k = 0; k < ds!.length; k++) {
          const d = ds![k];
          if (d.notAfter !== null && i > 0 && precededBy(text, i, d.notAfter)) continue;
          if (d.detector.match(text, i, st)) {
            (found ??= []).push({ start: st.start, end: st.end, type: st.type });
            if (st.jump && st.end > i) i = st.end - 1;
            break;
          }
        }
        continue;
      }
      // An alphanumeric run starts here: measure it (no detector starts inside one), then try
      // the detectors whose minimum run length it satisfies.
      let e = i + 1;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d >= 128 || kind[d] !== 1) break;
        e++;
      }
      let next = e - 1;
      const runLen = e - i;
      const after = e < n ? text.charCodeAt(e) : 0;
      // A key's base64 run continues past the alphanumerics only through + or / (padding = comes
      // after a full-length run), so a short run followed by anything else cannot be one.
      const extends64 = after === 43 || after === 47;
      if (ds !== null && (runLen >= gate[c] || extends64)) {
        st.runLen = runLen;
        st.runAfter = after;
        const f = e + 1 < n ? text.charCodeAt(e + 1) : 0;
        const shape = shapeIndex(runLen, after, f >= 48 && f <= 57);
        for (let k = 0; k < ds.length; k++) {
          const d = ds[k];
          if (runLen < d.minRun && !extends64) continue;
          if (d.shape !== null && d.shape[shape] === 0) continue;
          if (d.notAfter !== null && i > 0 && precededBy(text, i, d.notAfter)) continue;
          if (d.detector.match(text, i, st)) {
            (found ??= []).push({ start: st.start, end: st.end, type: st.type });
            if (st.jump && st.end > i) next = st.end - 1;
            break;
          }
        }
      }
      i = next;
    }
    if (found === null) return NONE;
    return found.length > 1 ? mergeFindings(found) : found;
  }
}

/** True when the character before `i` (i > 0) is in `set`. */
function precededBy(text: string, i: number, set: Uint8Array): boolean {
  const p = text.charCodeAt(i - 1);
  return p < 128 && set[p] === 1;
}

function codeSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const ch of chars) if (ch.charCodeAt(0) < 128) set[ch.charCodeAt(0)] = 1;
  return set;
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
