import type { Detector } from "../detector";
import { ALNUM, DIGIT, UPPER, classAt } from "../char-class";

/**
 * AWS access key ids: AKIA (long-term) or ASIA (temporary) followed by 16 upper-case letters or
 * digits, as a whole word. Reads 21 characters.
 */
export const awsAccessKey: Detector = {
  id: "aws_access_key",
  triggers: "A",
  minRun: 20,
  // AKIA or ASIA
  followedBy: "KS",
  match(text, i, st) {
    if (classAt(text, i - 1) & ALNUM) return false;
    if (!text.startsWith("AKIA", i) && !text.startsWith("ASIA", i)) return false;
    st.steps += 21;
    for (let k = i + 4; k < i + 20; k++) if (!(classAt(text, k) & (UPPER | DIGIT))) return false;
    if (classAt(text, i + 20) & ALNUM) return false;
    return st.hit(i, i + 20, "aws_access_key");
  },
};
