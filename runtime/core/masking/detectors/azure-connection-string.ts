import type { Detector } from "../detector";
import { ALNUM, classAt } from "../char-class";

const STARTS = [
  "DefaultEndpointsProtocol=",
  "BlobEndpoint=",
  "Endpoint=",
  "AccountName=",
  "AccountKey=",
  "SharedAccessSignature=",
  "SharedAccessKeyName=",
  "SharedAccessKey=",
];
const SECRETS = ["AccountKey=", "SharedAccessSignature=", "SharedAccessKey="];
const MAX = 4096;

function isConnChar(c: number): boolean {
  // Everything printable but whitespace, quotes, angle brackets and backslash (JSON escapes).
  return c > 32 && c !== 34 && c !== 39 && c !== 96 && c !== 60 && c !== 62 && c !== 92 && c !== 127;
}

/**
 * Azure connection strings (storage, Service Bus, Event Hubs): a `Key=value;` run starting with
 * a known key and containing a secret part (AccountKey, SharedAccessKey or
 * SharedAccessSignature). The whole run is masked. A failed attempt memoises the run's end, so
 * later starts inside it cost nothing and the scan stays linear.
 */
export const azureConnectionString: Detector = {
  id: "azure_connection_string",
  triggers: "ABDES",
  // the shortest start key, "Endpoint", before its "="
  minRun: 8,
  // the second letter of each start key
  followedBy: "elnch",
  match(text, i, st) {
    if (i < st.connNoMatchUntil) return false;
    if (classAt(text, i - 1) & ALNUM) return false;
    if (!STARTS.some((s) => text.startsWith(s, i))) return false;
    const limit = Math.min(text.length, i + MAX);
    let j = i;
    while (j < limit && isConnChar(text.charCodeAt(j))) j++;
    st.steps += j - i;
    const run = text.slice(i, j);
    if (!SECRETS.some((s) => run.includes(s))) {
      st.connNoMatchUntil = j;
      return false;
    }
    while (j > i && ";.,)".includes(text[j - 1])) j--;
    return st.hit(i, j, "azure_connection_string");
  },
};
