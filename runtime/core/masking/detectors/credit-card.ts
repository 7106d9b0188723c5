import type { Detector } from "../detector";
import { ALNUM, classAt, isDigitCode } from "../char-class";
import { numberShaped } from "../run-shape";

const MAX_DIGITS = 19;

/** Digits of the candidate, in a preallocated buffer: the scanner calls this at every number. */
const buf = new Uint8Array(MAX_DIGITS + 1);
/** Where each separator-delimited group ended: its digit count and text position (at most 20 groups). */
const groupLen = new Uint8Array(MAX_DIGITS + 2);
const groupEnd = new Int32Array(MAX_DIGITS + 2);

function prefix(k: number): number {
  let v = 0;
  for (let x = 0; x < k; x++) v = v * 10 + buf[x];
  return v;
}

function luhnOk(len: number): boolean {
  let sum = 0;
  for (let k = 0; k < len; k++) {
    let d = buf[len - 1 - k];
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card brands by issuer prefix and allowed lengths (ISO/IEC 7812 ranges in common use). */
function brandAccepts(len: number): boolean {
  const p2 = prefix(2);
  const p3 = prefix(3);
  const p4 = prefix(4);
  const p6 = prefix(6);
  if (buf[0] === 4) return len === 13 || len === 16 || len === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return len === 15; // Amex
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925))
    return len >= 16 && len <= 19; // Discover
  if (p4 >= 3528 && p4 <= 3589) return len >= 16 && len <= 19; // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return len >= 14 && len <= 19; // Diners Club
  if (p2 === 62 || p2 === 81) return len >= 16 && len <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return len >= 13 && len <= 19; // Maestro (12-digit cards are too rare to outweigh 12-digit references)
  return false;
}

/**
 * Card numbers: 13-19 digits, optionally grouped with one kind of separator (space or dash),
 * a known brand prefix and length, and a valid Luhn check digit. Reads at most ~40 characters.
 */
export const creditCard: Detector = {
  id: "credit_card",
  triggers: "0123456789",
  // Compact (13-19 digits) or grouped with a space or dash: the check at the top of match, tabulated.
  runShape: (runLen, after, digitFollows) =>
    numberShaped(runLen, after, digitFollows) &&
    (after === 32 || after === 45 || (runLen >= 13 && runLen <= MAX_DIGITS)) &&
    runLen <= MAX_DIGITS,
  minDigits: 13,
  match(text, i, st) {
    // compact (13-19 digits) or grouped (a group, then a space or dash)
    if (st.runAfter !== 32 && st.runAfter !== 45 && (st.runLen < 13 || st.runLen > MAX_DIGITS)) return false;
    if (st.runLen > MAX_DIGITS) return false;
    if (classAt(text, i - 1) & ALNUM) return false;
    const n = text.length;
    let j = i;
    let len = 0;
    let sep = 0;
    let groups = 0;
    while (j < n && len <= MAX_DIGITS) {
      const c = text.charCodeAt(j);
      if (isDigitCode(c)) {
        buf[len++] = c - 48;
        j++;
        continue;
      }
      if ((c === 32 || c === 45) && (sep === 0 || sep === c) && j + 1 < n && isDigitCode(text.charCodeAt(j + 1))) {
        sep = c;
        groupLen[groups] = len;
        groupEnd[groups++] = j;
        j++;
        continue;
      }
      break;
    }
    st.steps += j - i;
    const whole =
      len >= 13 &&
      len <= MAX_DIGITS &&
      // Glued to a letter, or a decimal number: not a card.
      !(classAt(text, j) & ALNUM) &&
      !((text[j] === "." || text[j] === ",") && isDigitCode(text.charCodeAt(j + 1))) &&
      brandAccepts(len) &&
      luhnOk(len);
    if (whole) return st.hit(i, j, "credit_card");
    // A card followed by more separated digits ("4111111111111111-12/27", "…-70" in a file name) reads
    // as one longer number: try the leading whole groups too, longest first (fail closed: masking
    // more is the safe side). At most 20 candidates of at most 19 digits each: still linear.
    for (let g = groups - 1; g >= 0; g--) {
      const k = groupLen[g];
      if (k < 13 || k > MAX_DIGITS) continue;
      if (brandAccepts(k) && luhnOk(k)) return st.hit(i, groupEnd[g], "credit_card");
    }
    return false;
  },
};
