import type { Detector } from "../detector";
import { ALNUM, DIGIT, UPPER, CLASS, classAt } from "../char-class";
import { IBAN_LENGTHS } from "./iban-lengths";

/** ISO 13616 check: move the first four characters to the end, letters to 10..35, mod 97 = 1. */
export function ibanChecksumValid(iban: string): boolean {
  const s = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else rem = (rem * 100 + (c - 55)) % 97;
  }
  return rem === 1;
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
    const len = IBAN_LENGTHS[text.slice(i, i + 2)];
    if (len === undefined) return false;
    const n = text.length;
    let j = i;
    let chars = "";
    while (j < n && chars.length < len) {
      const c = text.charCodeAt(j);
      const cls = c < 128 ? CLASS[c] : 0;
      if (cls & (DIGIT | UPPER)) {
        chars += text[j];
        j++;
      } else if (c === 32 && chars.length % 4 === 0 && chars.length > 0 && classAt(text, j + 1) & (DIGIT | UPPER)) {
        j++;
      } else {
        break;
      }
    }
    st.steps += j - i;
    if (chars.length !== len || classAt(text, j) & ALNUM) return false;
    if (!ibanChecksumValid(chars)) return false;
    return st.hit(i, j, "iban");
  },
};
