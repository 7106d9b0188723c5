import type { Detector } from "../detector";
import { ALNUM_CHARS, BASE64URL, classAt, windowBefore } from "../char-class";
import { base64RunAt, startsBase64Run } from "./base64-run";

/** Every character a base64 run can start with. */
const TRIGGERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";
const CONTEXT = ["aws", "secret"];
const WINDOW = 64;
/** Where the statement naming the key ends: a keyword before one of these belongs to something else. */
const BOUNDARIES = ["\n", ". ", '",', "',", ";"];

/** The lower-cased text of the current statement before `i` (at most WINDOW characters). */
function statementBefore(text: string, i: number): string {
  let w = windowBefore(text, i, WINDOW);
  for (const b of BOUNDARIES) {
    const k = w.lastIndexOf(b);
    if (k >= 0) w = w.slice(k + b.length);
  }
  return w;
}

/**
 * AWS secret access keys: exactly 40 standard-base64 characters with both letter cases (which
 * rules out hex digests), and an AWS or "secret" keyword in the same statement before it (at
 * most 64 characters back, not past a line end, a sentence end or another field) or in the
 * name of the JSON field holding it. Random 40-character base64 elsewhere (nonces, ETags) is
 * not a key.
 */
export const awsSecretKey: Detector = {
  id: "aws_secret_key",
  triggers: TRIGGERS,
  minRun: 40,
  // a base64 or base64url character: not the start of a run (the first check of match, tabulated)
  notPrecededBy: `${ALNUM_CHARS}+/-_`,
  // a run of 40 or 86 base64 characters goes on after its first
  followedBy: `${ALNUM_CHARS}+/`,
  match(text, i, st) {
    if (!startsBase64Run(text, i) || classAt(text, i - 1) & BASE64URL) return false;
    const r = base64RunAt(text, i, st);
    if (r.length !== 40 || r.padding !== 0 || !r.mixedCase) return false;
    if (classAt(text, r.end) & BASE64URL) return false;
    st.steps += WINDOW;
    const ctx = statementBefore(text, i);
    if (!CONTEXT.some((k) => ctx.includes(k) || st.fieldContext.includes(k))) return false;
    return st.hit(i, r.end, "aws_secret_key");
  },
};
