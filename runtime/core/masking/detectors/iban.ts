import type { Detector } from "../detector";
import { ALNUM, DIGIT, UPPER, CLASS, classAt } from "../char-class";
import { IBAN_LENGTHS } from "./iban-lengths";

/** Longest IBAN of any country. */
const MAX_LEN = 34;

/** IBAN length by country code, at (first letter - 65) * 26 + (second letter - 65); 0 for no such country. */
const LENGTH_BY_CODE = new Uint8Array(26 * 26);
for (const [cc, len] of Object.entries(IBAN_LENGTHS))
  LENGTH_BY_CODE[(cc.charCodeAt(0) - 65) * 26 + cc.charCodeAt(1) - 65] = len;

/** The candidate's character codes, preallocated: the scanner calls this at upper-case words. */
const codes = new Uint8Array(MAX_LEN);

/** ISO 13616 check of codes[0, len): move the first four to the end, letters to 10..35, mod 97 = 1. */
function checksumValid(len: number): boolean {
  let rem = 0;
  for (let k = 0; k < len; k++) {
    const c = codes[(k + 4) % len];
    if (c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else rem = (rem * 100 + (c - 55)) % 97;
  }
  return rem === 1;
}

/** ISO 13616 check of an IBAN without spaces. */
export function ibanChecksumValid(iban: string): boolean {
  if (iban.length < 4 || iban.length > MAX_LEN) return false;
  for (let k = 0; k < iban.length; k++) codes[k] = iban.charCodeAt(k);
  return checksumValid(iban.length);
}

/**
 * IBANs, compact (DE89370400440532013000) or printed in groups of four separated by single
 * spaces: a known country code, exactly that country's length, and a valid mod-97 checksum.
 * Reads at most 42 characters.
 */
export const iban: Detector = {
  id: "iban",
  triggers: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  // country code and check digits: four alphanumerics before any space
  minRun: 4,
  // the country code's second letter
  followedBy: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  match(text, i, st) {
    if (classAt(text, i - 1) & ALNUM) return false;
    if (!(classAt(text, i + 1) & UPPER) || !(classAt(text, i + 2) & DIGIT) || !(classAt(text, i + 3) & DIGIT))
      return false;
    // i and i + 1 are upper-case letters (the trigger and the check above)
    const len = LENGTH_BY_CODE[(text.charCodeAt(i) - 65) * 26 + text.charCodeAt(i + 1) - 65];
    if (len === 0) return false;
    const n = text.length;
    let j = i;
    let count = 0;
    while (j < n && count < len) {
      const c = text.charCodeAt(j);
      const cls = c < 128 ? CLASS[c] : 0;
      if (cls & (DIGIT | UPPER)) {
        codes[count++] = c;
        j++;
      } else if (c === 32 && count % 4 === 0 && count > 0 && classAt(text, j + 1) & (DIGIT | UPPER)) {
        j++;
      } else {
        break;
      }
    }
    st.steps += j - i;
    if (count !== len || classAt(text, j) & ALNUM) return false;
    if (!checksumValid(len)) return false;
    return st.hit(i, j, "iban");
  },
};
