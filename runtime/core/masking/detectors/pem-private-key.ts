import type { Detector } from "../detector";
import { BASE64, CLASS } from "../char-class";

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const MAX_LABEL = 64;

function isBodyChar(c: number): boolean {
  // base64, padding, whitespace, and the backslash of a JSON-escaped "\n"
  return (c < 128 && (CLASS[c] & BASE64) !== 0) || c === 61 || c === 32 || c === 10 || c === 13 || c === 9 || c === 92;
}

/** Position of the next "-----" within MAX_LABEL characters of `from` (bounded look-ahead), or -1. */
function dashesWithin(text: string, from: number): number {
  const k = text.slice(from, from + MAX_LABEL + 5).indexOf("-----");
  return k < 0 ? -1 : from + k;
}

/**
 * PEM private key blocks (PKCS#1, PKCS#8, EC, OpenSSH, encrypted): from `-----BEGIN ...PRIVATE
 * KEY-----` to the next `-----END ...-----`. Without an END line (a truncated paste) the BEGIN
 * line and the base64 body after it are masked. The END search is memoised: once no END
 * follows a position, later BEGIN lines do not search again, so the scan stays linear.
 */
export const pemPrivateKey: Detector = {
  id: "pem_private_key",
  triggers: "-",
  // "-----BEGIN " (the first check of match, tabulated)
  followedBy: "-",
  match(text, i, st) {
    if (!text.startsWith(BEGIN, i)) return false;
    const labelEnd = dashesWithin(text, i + BEGIN.length);
    st.steps += BEGIN.length + MAX_LABEL;
    if (labelEnd < 0) return false;
    if (!text.slice(i + BEGIN.length, labelEnd).endsWith("PRIVATE KEY")) return false;
    const bodyStart = labelEnd + 5;
    let e = -1;
    if (st.pemNoEndAfter < 0 || bodyStart < st.pemNoEndAfter) {
      e = text.indexOf(END, bodyStart);
      st.steps += (e < 0 ? text.length : e) - bodyStart;
      if (e < 0) st.pemNoEndAfter = bodyStart;
    }
    if (e >= 0) {
      const close = dashesWithin(text, e + END.length);
      const end = close >= 0 ? close + 5 : e + END.length;
      return st.hit(i, end, "pem_private_key");
    }
    let j = bodyStart;
    while (j < text.length && isBodyChar(text.charCodeAt(j))) j++;
    st.steps += j - bodyStart;
    while (j > bodyStart && " \t\r\n".includes(text[j - 1])) j--;
    return st.hit(i, j, "pem_private_key");
  },
};
