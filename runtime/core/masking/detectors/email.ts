import type { Detector } from "../detector";
import { ALNUM, ALNUM_CHARS, CLASS, LOWER, UPPER, classAt } from "../char-class";

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalChar(c: number): boolean {
  // RFC 5322 atext in common use: letters, digits and . _ % + -
  return (c < 128 && (CLASS[c] & ALNUM) !== 0) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

/**
 * E-mail addresses, found from their `@`: at most 64 local-part characters before it and a
 * domain of dot-separated labels after it ending in an alphabetic TLD. Bounded both ways
 * (64 back, 253 ahead), so runs of `@` and `.` cost a constant per character.
 */
export const email: Detector = {
  id: "email",
  triggers: "@",
  // the domain's first label starts with a letter or digit
  followedBy: ALNUM_CHARS,
  match(text, i, st) {
    let s = i;
    while (s > 0 && i - s < MAX_LOCAL + 1 && isLocalChar(text.charCodeAt(s - 1))) s--;
    st.steps += i - s;
    if (s === i || i - s > MAX_LOCAL) return false;
    while (text[s] === ".") s++; // a sentence's dot before the address is not part of it
    if (s === i || text[i - 1] === ".") return false;
    const n = text.length;
    const limit = Math.min(n, i + 1 + MAX_DOMAIN);
    let j = i + 1;
    let labelLen = 0;
    let dots = 0;
    let lastDot = -1;
    let tldAlpha = true;
    for (; j < limit; j++) {
      const c = text.charCodeAt(j);
      const cls = c < 128 ? CLASS[c] : 0;
      if (cls & ALNUM) {
        labelLen++;
        if (!(cls & (LOWER | UPPER))) tldAlpha = false;
      } else if (c === 45 && labelLen > 0) {
        labelLen++;
        tldAlpha = false;
      } else if (c === 46 && labelLen > 0 && text.charCodeAt(j - 1) !== 45 && classAt(text, j + 1) & ALNUM) {
        dots++;
        lastDot = j;
        labelLen = 0;
        tldAlpha = true;
      } else {
        break;
      }
    }
    st.steps += j - i;
    if (dots === 0 || text.charCodeAt(j - 1) === 45 || !tldAlpha || j - lastDot - 1 < 2) return false;
    return st.hit(s, j, "email");
  },
};
