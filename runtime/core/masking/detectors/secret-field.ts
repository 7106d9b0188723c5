import type { Detector } from "../detector";
import { ALNUM, ALNUM_CHARS, CLASS, asciiExcept } from "../char-class";
import { isSecretFieldName, mayBeSecretName } from "./secret-names";

const MAX_KEY = 64;
const MAX_VALUE = 4096;
const SKIPPED_VALUES = new Set(["null", "true", "false", "none", "undefined", "***"]);

function isKeyChar(c: number): boolean {
  return (c < 128 && (CLASS[c] & ALNUM) !== 0) || c === 95 || c === 45 || c === 46;
}

function isTerminator(c: number): boolean {
  // whitespace , ; & quotes brackets and angle brackets end an unquoted value
  return (
    c <= 32 ||
    c === 44 ||
    c === 59 ||
    c === 38 ||
    c === 34 ||
    c === 39 ||
    c === 41 ||
    c === 93 ||
    c === 125 ||
    c === 60 ||
    c === 62
  );
}

/**
 * Values of `key=value` and `key: value` pairs (also `"key": "value"` in JSON-looking text)
 * whose key names a secret (see secret-names.ts). Only the value is masked. The scanner keeps
 * scanning inside the value so a more specific detector (a JWT, a connection string) can name
 * the entity; a trigger inside an already matched value is skipped, which keeps the scan linear.
 */
export const secretField: Detector = {
  id: "secret_field",
  triggers: "=:",
  // The key's last letter, a space or a closing quote: anything else just before the separator
  // ends the key in a character no secret name ends with (mayBeSecretName in match, tabulated).
  notPrecededBy: asciiExcept(`${ALNUM_CHARS.slice(10)} "'`),
  match(text, i, st) {
    if (i < st.secretValueEnd) return false;
    const sep = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    const prevSep = text.charCodeAt(i - 1);
    if (sep === 61 && (next === 61 || prevSep === 61 || prevSep === 33 || prevSep === 60 || prevSep === 62))
      return false;
    if (sep === 58 && (next === 47 || next === 58)) return false;
    // key, right to left: optional spaces and one closing quote, then key characters
    let k = i - 1;
    while (k >= 0 && i - k <= 4 && text.charCodeAt(k) === 32) k--;
    if (text[k] === '"' || text[k] === "'") k--;
    const keyEnd = k + 1;
    // The name's last three letters first: most keys are rejected before their start is found.
    if (keyEnd < 3 || !mayBeSecretName(text, keyEnd - 3, keyEnd)) {
      st.steps += i - keyEnd + 3;
      return false;
    }
    while (k >= 0 && keyEnd - k <= MAX_KEY + 1 && isKeyChar(text.charCodeAt(k))) k--;
    const keyStart = k + 1;
    st.steps += i - keyStart;
    if (keyStart === keyEnd || keyEnd - keyStart > MAX_KEY || !mayBeSecretName(text, keyStart, keyEnd)) return false;
    if (!isSecretFieldName(text.slice(keyStart, keyEnd))) return false;
    // value, left to right
    const n = text.length;
    let v = i + 1;
    // `key: value` and `key = value` may have spaces after the separator; `key= next` has no value
    if (sep === 58 || text.charCodeAt(i - 1) === 32)
      while (v < n && v - i <= 8 && (text.charCodeAt(v) === 32 || text.charCodeAt(v) === 9)) v++;
    const q = text[v];
    let start: number;
    let end: number;
    if (q === '"' || q === "'") {
      start = v + 1;
      end = start;
      const limit = Math.min(n, start + MAX_VALUE);
      while (end < limit && text[end] !== q && text.charCodeAt(end) !== 10) end++;
      // an escaped quote inside a JSON string value
      while (end < limit && text[end] === q && text[end - 1] === "\\") {
        end++;
        while (end < limit && text[end] !== q && text.charCodeAt(end) !== 10) end++;
      }
    } else {
      start = v;
      end = v;
      const limit = Math.min(n, start + MAX_VALUE);
      while (end < limit && !isTerminator(text.charCodeAt(end))) end++;
      // "Authorization: Bearer <token>": the scheme alone is not the secret
      const word = text.slice(start, end).toLowerCase();
      if ((word === "bearer" || word === "basic") && text[end] === " ") {
        end++;
        while (end < limit && !isTerminator(text.charCodeAt(end))) end++;
      }
    }
    st.steps += end - i;
    if (end === start) return false;
    const value = text.slice(start, Math.min(end, start + 16));
    if (
      SKIPPED_VALUES.has(value.toLowerCase()) ||
      value.startsWith("[REDACTED") ||
      value.startsWith("[HASH") ||
      value[0] === "{" ||
      value[0] === "["
    )
      return false;
    st.secretValueEnd = end;
    return st.hit(start, end, "secret_field", false);
  },
};
