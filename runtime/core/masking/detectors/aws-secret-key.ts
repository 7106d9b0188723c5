import type { Detector } from "../detector";
import { BASE64URL, classAt, windowBefore } from "../char-class";
import { base64RunAt, startsBase64Run } from "./base64-run";

/** Every character a base64 run can start with. */
const TRIGGERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";
const CONTEXT = ["aws", "secret"];
const WINDOW = 160;

/**
 * AWS secret access keys: exactly 40 standard-base64 characters with both letter cases (which
 * rules out hex digests), and an AWS or "secret" keyword within 160 characters before it or in
 * the name of the JSON field holding it.
 */
export const awsSecretKey: Detector = {
  id: "aws_secret_key",
  triggers: TRIGGERS,
  minRun: 40,
  match(text, i, st) {
    if (!startsBase64Run(text, i) || classAt(text, i - 1) & BASE64URL) return false;
    const r = base64RunAt(text, i, st);
    if (r.length !== 40 || r.padding !== 0 || !r.mixedCase) return false;
    if (classAt(text, r.end) & BASE64URL) return false;
    st.steps += WINDOW;
    const ctx = windowBefore(text, i, WINDOW);
    if (!CONTEXT.some((k) => ctx.includes(k) || st.fieldContext.includes(k))) return false;
    return st.hit(i, r.end, "aws_secret_key");
  },
};
