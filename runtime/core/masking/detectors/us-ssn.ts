import type { Detector } from "../detector";
import { ALNUM, ALNUM_CHARS, classAt, isDigitCode, windowBefore } from "../char-class";
import { numberShaped } from "../run-shape";

/** Keywords that must be the last words before a bare 9-digit number (after punctuation and "no"/"number"). */
const KEYWORDS = ["ssn", "ss", "social security", "social-security", "soc sec", "taxpayer id", "tin"];
const WINDOW = 40;

/** True when the text just before `i` ends with an SSN keyword, e.g. "SSN: ", "Social Security No. ", "ssn#". */
function keywordBefore(text: string, i: number): boolean {
  let w = windowBefore(text, i, WINDOW).replace(/[^a-z0-9]+$/, "");
  w = w.replace(/[^a-z0-9]*\b(no|num|number|nr)$/, "");
  return KEYWORDS.some((k) => w.endsWith(k) && !/[a-z0-9]/.test(w.charAt(w.length - k.length - 1)));
}

function fieldSaysSsn(field: string): boolean {
  const f = field.replace(/[^a-z]/g, "");
  return f === "ssn" || f.endsWith("ssn") || f.includes("socialsecurity") || f === "taxpayerid";
}

function digitsAt(text: string, i: number, count: number): boolean {
  for (let k = 0; k < count; k++) if (!isDigitCode(text.charCodeAt(i + k))) return false;
  return true;
}

/**
 * US Social Security numbers: ddd-dd-dddd or ddd dd dddd; a bare 9-digit number only with an
 * SSN keyword as the last words before it (or in the JSON field name). Area 000, 666 and 900-999, group 00 and serial 0000 are never
 * issued and are rejected. Reads at most 12 characters ahead and 40 behind.
 */
export const usSsn: Detector = {
  id: "us_ssn",
  triggers: "0123456789",
  // ddd-dd-dddd, ddd dd dddd or a bare ddddddddd: the check at the top of match, tabulated.
  runShape: (runLen, after, digitFollows) =>
    numberShaped(runLen, after, digitFollows) && ((runLen === 3 && (after === 45 || after === 32)) || runLen === 9),
  // the checks after the first in match
  notPrecededBy: `${ALNUM_CHARS}-.+/`,
  minDigits: 9,
  match(text, i, st) {
    // ddd-dd-dddd, ddd dd dddd or a bare ddddddddd: nothing else can start here
    if (!(st.runLen === 3 && (st.runAfter === 45 || st.runAfter === 32)) && st.runLen !== 9) return false;
    if (classAt(text, i - 1) & ALNUM) return false;
    const prev = text[i - 1];
    if (prev === "-" || prev === "." || prev === "+" || prev === "/") return false;
    st.steps += 11;
    if (!digitsAt(text, i, 3)) return false;
    let j: number;
    const s = text[i + 3];
    if ((s === "-" || s === " ") && digitsAt(text, i + 4, 2) && text[i + 6] === s && digitsAt(text, i + 7, 4)) {
      j = i + 11;
    } else if (digitsAt(text, i + 3, 6)) {
      j = i + 9;
      st.steps += WINDOW;
      if (!keywordBefore(text, i) && !fieldSaysSsn(st.fieldContext)) return false;
    } else {
      return false;
    }
    if (classAt(text, j) & ALNUM) return false;
    if ((text[j] === "-" || text[j] === ".") && isDigitCode(text.charCodeAt(j + 1))) return false;
    const digits =
      j === i + 9 ? text.slice(i, j) : text.slice(i, i + 3) + text.slice(i + 4, i + 6) + text.slice(i + 7, i + 11);
    const area = Number(digits.slice(0, 3));
    if (area === 0 || area === 666 || area >= 900) return false;
    if (digits.slice(3, 5) === "00" || digits.slice(5) === "0000") return false;
    return st.hit(i, j, "us_ssn");
  },
};
