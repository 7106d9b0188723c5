import type { Detector } from "../detector";
import { ALNUM, ALNUM_CHARS, CLASS, asciiExcept } from "../char-class";

const MAX = 256;

function isSigChar(c: number): boolean {
  // base64 and its URL-encoded form (%2B, %2F, %3D)
  return c < 128 && ((CLASS[c] & ALNUM) !== 0 || c === 37 || c === 43 || c === 47 || c === 61);
}

/**
 * Azure shared access signatures: the `sig=` parameter of a SAS URL or query string (after `?`,
 * `&` or `;`). Only the signature value is masked; the other SAS parameters are not secret.
 */
export const azureSas: Detector = {
  id: "azure_sas",
  triggers: "=",
  // the "g" of "sig" (the first check of match, tabulated)
  notPrecededBy: asciiExcept("g"),
  // the signature: base64, URL-encoded or not (at least 20 characters)
  followedBy: `${ALNUM_CHARS}%+/=`,
  match(text, i, st) {
    if (!text.startsWith("sig", i - 3)) return false;
    const before = text[i - 4];
    if (before !== "?" && before !== "&" && before !== ";") return false;
    const limit = Math.min(text.length, i + 1 + MAX);
    let j = i + 1;
    while (j < limit && isSigChar(text.charCodeAt(j))) j++;
    st.steps += j - i;
    if (j - i - 1 < 20) return false;
    return st.hit(i + 1, j, "azure_sas");
  },
};
