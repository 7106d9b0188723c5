import { BASE64, CLASS, LOWER, UPPER } from "../char-class";
import type { ScanState } from "../scan-state";

/** Longest run we need to measure: an 88-character Azure key plus one character to see the end. */
const CAP = 90;

export interface Base64Run {
  end: number;
  /** Characters of the run (capped at CAP + 1) before any `=` padding. */
  length: number;
  padding: number;
  mixedCase: boolean;
}

const run: Base64Run = { end: 0, length: 0, padding: 0, mixedCase: false };

/**
 * Measures the standard-base64 run that starts at `i` (at most CAP characters are read), shared
 * by the detectors of raw keys. The caller guarantees `i` starts a run; the result is memoised in
 * ScanState so two detectors at the same position read it once.
 */
export function base64RunAt(text: string, i: number, st: ScanState): Base64Run {
  if (st.b64RunStart === i) {
    run.end = st.b64RunEnd;
    return run;
  }
  const limit = Math.min(text.length, i + CAP + 1);
  let j = i;
  let lower = false;
  let upper = false;
  for (; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c >= 128) break;
    const cls = CLASS[c];
    if (!(cls & BASE64)) break;
    if (cls & LOWER) lower = true;
    else if (cls & UPPER) upper = true;
  }
  const length = j - i;
  let padding = 0;
  while (padding < 2 && text.charCodeAt(j) === 61) {
    padding++;
    j++;
  }
  st.steps += j - i;
  st.b64RunStart = i;
  st.b64RunEnd = j;
  run.end = j;
  run.length = length;
  run.padding = padding;
  run.mixedCase = lower && upper;
  return run;
}

export function startsBase64Run(text: string, i: number): boolean {
  if (i === 0) return true;
  const c = text.charCodeAt(i - 1);
  return c >= 128 || (CLASS[c] & BASE64) === 0;
}
