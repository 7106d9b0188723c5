import type { Detector } from "../detector";
import { ALNUM, classAt, isDigitCode } from "../char-class";

const MAX_DIGITS = 15;
const MAX_GROUPS = 7;

interface Groups {
  lens: number[];
  seps: string;
  digits: string;
  parens: boolean;
  end: number;
}

/**
 * Digit groups from `i`: groups separated by one of space, dash, dot or slash; the first group
 * may be in parentheses. Stops after 15 digits or 7 groups, so it reads at most ~30 characters.
 */
function readGroups(text: string, i: number): Groups | null {
  const n = text.length;
  const lens: number[] = [];
  let seps = "";
  let digits = "";
  let parens = false;
  let inParen = false;
  let j = i;
  let len = 0;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isDigitCode(c)) {
      digits += text[j];
      len++;
      j++;
      if (digits.length > MAX_DIGITS) return null;
      continue;
    }
    if (len === 0) {
      if (c === 40 && !parens && isDigitCode(text.charCodeAt(j + 1))) {
        parens = inParen = true;
        j++;
        continue;
      }
      break;
    }
    if (inParen) {
      if (c !== 41) return null; // ')'
      inParen = false;
      lens.push(len);
      len = 0;
      j++;
      if (text[j] === " ") j++;
      seps += ")";
      if (!isDigitCode(text.charCodeAt(j))) return null;
      continue;
    }
    const next = text.charCodeAt(j + 1);
    if ((c === 32 || c === 45 || c === 46 || c === 47) && (isDigitCode(next) || (next === 40 && !parens))) {
      lens.push(len);
      len = 0;
      seps += text[j];
      j++;
      if (lens.length >= MAX_GROUPS) return null;
      continue;
    }
    break;
  }
  if (inParen) return null;
  if (len > 0) lens.push(len);
  return { lens, seps, digits, parens, end: j };
}

function same(seps: string, allowed: string): boolean {
  if (seps.length === 0) return false;
  const s = seps[0];
  if (!allowed.includes(s)) return false;
  for (let k = 1; k < seps.length; k++) if (seps[k] !== s) return false;
  return true;
}

function shape(lens: number[], want: number[]): boolean {
  return lens.length === want.length && lens.every((l, k) => l === want[k]);
}

function nationalShape(g: Groups): boolean {
  const { lens, seps, digits } = g;
  const total = digits.length;
  if (g.parens) {
    if (seps[0] !== ")") return false;
    // (415) 555-2671, (030) 12345678, (0161) 496 0000
    const rest = seps.slice(1);
    if (lens[0] === 3 && digits[0] >= "2" && shape(lens, [3, 3, 4]) && (rest === "-" || rest === " " || rest === ".") && digits[3] >= "2") return true;
    return digits[0] === "0" && total >= 10 && total <= 12 && lens.length <= 3 && (rest === "" || same(rest, " -"));
  }
  if (total === 10 && shape(lens, [3, 3, 4]) && same(seps, "-. ") && digits[0] >= "2" && digits[3] >= "2") return true; // US
  if (total === 11 && shape(lens, [1, 3, 3, 4]) && digits[0] === "1" && same(seps, "-. ")) return true; // US with trunk 1
  if (digits[0] !== "0") return false;
  if (total === 10 && shape(lens, [2, 2, 2, 2, 2]) && digits[1] !== "0" && same(seps, " .-")) return true; // FR
  if (total === 11 && (shape(lens, [3, 4, 4]) || shape(lens, [5, 6]) || shape(lens, [4, 3, 4]) || shape(lens, [4, 6]) || shape(lens, [5, 3, 3])) && same(seps, " -")) return true; // UK
  if (total >= 10 && total <= 12 && lens.length === 2 && lens[0] >= 3 && lens[0] <= 5 && lens[1] >= 5 && same(seps, " -/")) return true; // DE
  return false;
}

/**
 * Phone numbers: E.164 (`+` country code and 8-15 digits, grouped or not) and the usual
 * national layouts of the US, UK, Germany and France. A bare run of digits, a date, a version
 * or an IP address has none of these shapes and is left alone.
 */
export const phone: Detector = {
  id: "phone",
  triggers: "+(0123456789",
  match(text, i, st) {
    if (classAt(text, i - 1) & ALNUM) return false;
    const prev = text[i - 1];
    if (prev === "-" || prev === "." || prev === "/" || prev === "_" || prev === "+" || prev === ")") return false;
    const c = text[i];
    const g = readGroups(text, c === "+" ? i + 1 : i);
    if (!g) {
      st.steps += 30;
      return false;
    }
    st.steps += g.end - i;
    const j = g.end;
    if (classAt(text, j) & ALNUM) return false;
    if ((text[j] === "-" || text[j] === "." || text[j] === "/") && isDigitCode(text.charCodeAt(j + 1))) return false;
    let ok: boolean;
    if (c === "+") {
      const total = g.digits.length;
      ok = total >= 8 && total <= MAX_DIGITS && g.digits[0] !== "0" && (g.lens.length === 1 ? total >= 10 : g.lens.every((l) => l <= 8));
    } else {
      ok = nationalShape(g);
    }
    return ok ? st.hit(i, j, "phone") : false;
  },
};
