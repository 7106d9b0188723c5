import type { Detector } from "../detector";
import { ALNUM, CLASS, classAt } from "../char-class";

const MAX = 255;

/** Slack tokens: xoxa-, xoxb-, xoxp-, xoxr-, xoxs- followed by at least 10 of [A-Za-z0-9-]. */
export const slackToken: Detector = {
  id: "slack_token",
  triggers: "x",
  // "xoxb" before its "-"
  minRun: 4,
  followedBy: "o",
  match(text, i, st) {
    if (classAt(text, i - 1) & ALNUM) return false;
    if (!text.startsWith("xox", i) || !"abprs".includes(text[i + 3] ?? "!") || text[i + 4] !== "-") return false;
    const n = Math.min(text.length, i + MAX + 1);
    let j = i + 5;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c >= 128 || !(CLASS[c] & ALNUM || c === 45)) break;
    }
    st.steps += j - i;
    if (j - i - 5 < 10 || j - i > MAX) return false;
    while (text.charCodeAt(j - 1) === 45) j--;
    return st.hit(i, j, "slack_token");
  },
};
