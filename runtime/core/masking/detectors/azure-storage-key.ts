import type { Detector } from "../detector";
import { ALNUM_CHARS, BASE64URL, classAt } from "../char-class";
import { base64RunAt, startsBase64Run } from "./base64-run";

/** Every character a base64 run can start with. */
const TRIGGERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/";

/**
 * Azure storage account keys: 64 random bytes in base64, i.e. 86 characters and `==`, with both
 * letter cases. Distinctive enough to need no context; inside a connection string the
 * azure_connection_string detector takes the whole string first.
 */
export const azureStorageKey: Detector = {
  id: "azure_storage_key",
  triggers: TRIGGERS,
  minRun: 86,
  // a base64 or base64url character: not the start of a run (the first check of match, tabulated)
  notPrecededBy: `${ALNUM_CHARS}+/-_`,
  // a run of 40 or 86 base64 characters goes on after its first
  followedBy: `${ALNUM_CHARS}+/`,
  match(text, i, st) {
    if (!startsBase64Run(text, i) || classAt(text, i - 1) & BASE64URL) return false;
    const r = base64RunAt(text, i, st);
    if (r.length !== 86 || r.padding !== 2 || !r.mixedCase) return false;
    if (classAt(text, r.end) & BASE64URL || text[r.end] === "=") return false;
    return st.hit(i, r.end, "azure_storage_key");
  },
};
