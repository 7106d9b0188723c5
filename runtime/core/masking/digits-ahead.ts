/**
 * How many digits a number starting at `i` can have: the digits among the next DIGITS_WINDOW
 * characters, up to the first that is neither a digit nor one of ` -./()` (the separators any
 * built-in number layout uses). A card needs 13, a phone number 10, an SSN 9; a timestamp's
 * `2025-06-01T`, a version or an IP address has fewer, so the scanner stops before calling
 * them (issue 15: timestamps woke the card and phone detectors twice each).
 */

import type { ScanState } from "./scan-state";

/** Longer than any number a detector of Detector.minDigits reads (a 19-digit card in groups: 37). */
export const DIGITS_WINDOW = 40;

/** Digits and the separators of number layouts, by ASCII code: 1 digit, 2 separator. */
const NUMBER_CHAR = new Uint8Array(128);
for (let c = 48; c <= 57; c++) NUMBER_CHAR[c] = 1;
for (const ch of " -./()") NUMBER_CHAR[ch.charCodeAt(0)] = 2;

export function digitsAhead(text: string, i: number, st: ScanState): number {
  const end = Math.min(text.length, i + DIGITS_WINDOW);
  let digits = 0;
  let j = i;
  for (; j < end; j++) {
    const c = text.charCodeAt(j);
    const k = c < 128 ? NUMBER_CHAR[c] : 0;
    if (k === 0) break;
    if (k === 1) digits++;
  }
  st.steps += j - i;
  return digits;
}
