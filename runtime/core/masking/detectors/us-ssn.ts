import type { Detector } from "../detector";
import { ALNUM, classAt, isDigitCode, windowBefore } from "../char-class";

const CONTEXT = ["ssn", "social security", "social-security", "soc sec", "taxpayer", "tin:"];

function digitsAt(text: string, i: number, count: number): boolean {
  for (let k = 0; k < count; k++) if (!isDigitCode(text.charCodeAt(i + k))) return false;
  return true;
}

/**
 * US Social Security numbers: ddd-dd-dddd or ddd dd dddd; a bare 9-digit number only with an
 * SSN keyword just before it. Area 000, 666 and 900-999, group 00 and serial 0000 are never
 * issued and are rejected. Reads at most 12 characters ahead and 48 behind.
 */
export const usSsn: Detector = {
  id: "us_ssn",
  triggers: "0123456789",
  match(text, i, st) {
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
      st.steps += 48;
      const ctx = windowBefore(text, i, 48);
      if (!CONTEXT.some((k) => ctx.includes(k)) && !CONTEXT.some((k) => st.fieldContext.includes(k))) return false;
    } else {
      return false;
    }
    if (classAt(text, j) & ALNUM) return false;
    if ((text[j] === "-" || text[j] === ".") && isDigitCode(text.charCodeAt(j + 1))) return false;
    const digits = j === i + 9 ? text.slice(i, j) : text.slice(i, i + 3) + text.slice(i + 4, i + 6) + text.slice(i + 7, i + 11);
    const area = Number(digits.slice(0, 3));
    if (area === 0 || area === 666 || area >= 900) return false;
    if (digits.slice(3, 5) === "00" || digits.slice(5) === "0000") return false;
    return st.hit(i, j, "us_ssn");
  },
};
