import type { Detector } from "../detector";
import { ALNUM, CLASS, classAt } from "../char-class";

const PREFIXES = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"];
const MAX = 255;

/**
 * GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_ + 36 alphanumerics) and fine-grained
 * (github_pat_ + 82 characters of [A-Za-z0-9_]). Reads at most 256 characters.
 */
export const githubToken: Detector = {
  id: "github_token",
  triggers: "g",
  // "ghp" before its "_"
  minRun: 3,
  // "gh…_" or "github_pat_"
  followedBy: "hi",
  match(text, i, st) {
    const prev = text.charCodeAt(i - 1);
    if (classAt(text, i - 1) & ALNUM || prev === 95) return false;
    const prefix = PREFIXES.find((p) => text.startsWith(p, i));
    if (prefix === undefined) return false;
    const n = Math.min(text.length, i + MAX + 1);
    let j = i + prefix.length;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c >= 128 || !(CLASS[c] & ALNUM || c === 95)) break;
    }
    st.steps += j - i;
    const body = j - i - prefix.length;
    if (body < 30 || j - i > MAX) return false;
    return st.hit(i, j, "github_token");
  },
};
