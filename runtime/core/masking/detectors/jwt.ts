import type { Detector } from "../detector";
import { ALNUM_CHARS, BASE64URL, CLASS, classAt } from "../char-class";

const MAX_HEADER = 4096;

/** End of the base64url run starting at `j`. */
function runEnd(text: string, j: number): number {
  const n = text.length;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c >= 128 || !(CLASS[c] & BASE64URL)) break;
    j++;
  }
  return j;
}

function headerHasAlg(segment: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as unknown;
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

/**
 * JSON Web Tokens (JWS compact form): three base64url segments separated by dots, the first
 * decoding to a JSON object with an `alg`. Triggered only where a segment can start (`eyJ` not
 * preceded by a base64url character), so each character is read by at most three attempts.
 */
export const jwt: Detector = {
  id: "jwt",
  triggers: "e",
  // "eyJ"
  minRun: 3,
  // inside a base64url run (the first check of match, tabulated)
  notPrecededBy: `${ALNUM_CHARS}-_`,
  followedBy: "y",
  match(text, i, st) {
    if (classAt(text, i - 1) & BASE64URL) return false;
    if (text.charCodeAt(i + 1) !== 121 || text.charCodeAt(i + 2) !== 74) return false; // "yJ"
    const a = runEnd(text, i);
    st.steps += a - i;
    if (text.charCodeAt(a) !== 46 || a - i < 10 || a - i > MAX_HEADER) return false;
    const b = runEnd(text, a + 1);
    st.steps += b - a;
    if (text.charCodeAt(b) !== 46 || b - a - 1 < 2) return false;
    const c = runEnd(text, b + 1);
    st.steps += c - b;
    if (!headerHasAlg(text.slice(i, a))) return false;
    return st.hit(i, c, "jwt");
  },
};
