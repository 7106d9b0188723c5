import type { Detector } from "../detector";
import { ALNUM, ALNUM_CHARS, classAt, isDigitCode } from "../char-class";
import { numberShaped } from "../run-shape";

const MAX_DIGITS = 15;
const MAX_GROUPS = 7;

/**
 * Digit groups read by readGroups, in preallocated buffers (the scanner calls this at every
 * number in the text: no allocation on the hot path).
 */
const g = {
  lens: new Int32Array(MAX_GROUPS + 1),
  groups: 0,
  /** Separator before group k (k >= 1): a character code; 41 `)` after a parenthesized group. */
  seps: new Int32Array(MAX_GROUPS + 1),
  digits: new Uint8Array(MAX_DIGITS + 1),
  total: 0,
  parens: false,
  end: 0,
};

/**
 * Digit groups from `i`: groups separated by one of space, dash, dot or slash; one group may be
 * in parentheses. Stops after 15 digits or 7 groups, so it reads at most ~30 characters.
 */
function readGroups(text: string, i: number): boolean {
  const n = text.length;
  g.groups = 0;
  g.total = 0;
  g.parens = false;
  let inParen = false;
  let j = i;
  let len = 0;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      if (g.total >= MAX_DIGITS) return false;
      g.digits[g.total++] = c - 48;
      len++;
      j++;
      continue;
    }
    if (len === 0) {
      if (c === 40 && !g.parens && isDigitCode(text.charCodeAt(j + 1))) {
        g.parens = inParen = true;
        j++;
        continue;
      }
      break;
    }
    if (inParen) {
      if (c !== 41) return false;
      inParen = false;
      g.lens[g.groups++] = len;
      len = 0;
      j++;
      if (text.charCodeAt(j) === 32) j++;
      g.seps[g.groups] = 41;
      if (!isDigitCode(text.charCodeAt(j))) return false;
      continue;
    }
    const next = text.charCodeAt(j + 1);
    if ((c === 32 || c === 45 || c === 46 || c === 47) && (isDigitCode(next) || (next === 40 && !g.parens))) {
      g.lens[g.groups++] = len;
      len = 0;
      g.seps[g.groups] = c;
      j++;
      if (g.groups >= MAX_GROUPS) return false;
      continue;
    }
    break;
  }
  if (inParen) return false;
  if (len > 0) g.lens[g.groups++] = len;
  g.end = j;
  return true;
}

/** Separators of groups from..groups-1 are all the same character, one of `allowed`. */
function sameSeps(from: number, allowed: readonly number[]): boolean {
  if (g.groups - from < 1) return false;
  const s = g.seps[from];
  if (!allowed.includes(s)) return false;
  for (let k = from + 1; k < g.groups; k++) if (g.seps[k] !== s) return false;
  return true;
}

function shape(...want: number[]): boolean {
  if (g.groups !== want.length) return false;
  for (let k = 0; k < want.length; k++) if (g.lens[k] !== want[k]) return false;
  return true;
}

const SP = 32,
  DASH = 45,
  DOT = 46,
  SLASH = 47;

function nationalShape(): boolean {
  const d = g.digits;
  const total = g.total;
  if (g.parens) {
    // (415) 555-2671, (030) 12345678, (0161) 496 0000
    if (g.groups < 2 || g.seps[1] !== 41) return false;
    if (d[0] >= 2 && shape(3, 3, 4) && sameSeps(2, [DASH, SP, DOT]) && d[3] >= 2) return true;
    return d[0] === 0 && total >= 10 && total <= 12 && g.groups <= 3 && (g.groups === 2 || sameSeps(2, [SP, DASH]));
  }
  if (total === 10 && shape(3, 3, 4) && sameSeps(1, [DASH, DOT, SP]) && d[0] >= 2 && d[3] >= 2) return true; // US
  if (total === 11 && shape(1, 3, 3, 4) && d[0] === 1 && sameSeps(1, [DASH, DOT, SP])) return true; // US with trunk 1
  if (d[0] !== 0) return false;
  if (total === 10 && shape(2, 2, 2, 2, 2) && d[1] !== 0 && sameSeps(1, [SP, DOT, DASH])) return true; // FR
  if (
    total === 11 &&
    (shape(3, 4, 4) || shape(5, 6) || shape(4, 3, 4) || shape(4, 6) || shape(5, 3, 3)) &&
    sameSeps(1, [SP, DASH])
  )
    return true; // UK
  if (
    total >= 10 &&
    total <= 12 &&
    g.groups === 2 &&
    g.lens[0] >= 3 &&
    g.lens[0] <= 5 &&
    g.lens[1] >= 5 &&
    sameSeps(1, [SP, DASH, SLASH])
  )
    return true; // DE
  return false;
}

function internationalShape(): boolean {
  const total = g.total;
  if (total < 8 || g.digits[0] === 0) return false;
  if (g.groups === 1) return total >= 10;
  for (let k = 0; k < g.groups; k++) if (g.lens[k] > 8) return false;
  return true;
}

/**
 * Phone numbers: E.164 (`+` country code and 8-15 digits, grouped or not) and the usual
 * national layouts of the US, UK, Germany and France. A bare run of digits, a date, a version
 * or an IP address has none of these shapes and is left alone.
 */
export const phone: Detector = {
  id: "phone",
  triggers: "+(0123456789",
  // At a digit: a national number's first group (1-5 digits) and a separator (the check in match, tabulated).
  runShape: (runLen, after, digitFollows) =>
    numberShaped(runLen, after, digitFollows) &&
    runLen <= 5 &&
    (after === SP || after === DASH || after === DOT || after === SLASH),
  // the first two checks of match
  notPrecededBy: `${ALNUM_CHARS}-./_+)`,
  // every national layout has 10 digits or more (at + or ( the scanner does not apply this)
  minDigits: 10,
  match(text, i, st) {
    if (classAt(text, i - 1) & ALNUM) return false;
    const prev = text.charCodeAt(i - 1);
    if (prev === DASH || prev === DOT || prev === SLASH || prev === 95 || prev === 43 || prev === 41) return false;
    const plus = text.charCodeAt(i) === 43;
    // at a digit: a national number's first group (1-5 digits) and a separator, or 10 digits (US compact is not a shape)
    if (!plus && text.charCodeAt(i) !== 40) {
      const a = st.runAfter;
      if (st.runLen > 5 || (a !== SP && a !== DASH && a !== DOT && a !== SLASH)) return false;
    }
    const ok = readGroups(text, plus ? i + 1 : i);
    if (!ok) {
      st.steps += 30;
      return false;
    }
    const j = g.end;
    st.steps += j - i;
    if (classAt(text, j) & ALNUM) return false;
    const after = text.charCodeAt(j);
    if ((after === DASH || after === DOT || after === SLASH) && isDigitCode(text.charCodeAt(j + 1))) return false;
    return (plus ? internationalShape() : nationalShape()) ? st.hit(i, j, "phone") : false;
  },
};
