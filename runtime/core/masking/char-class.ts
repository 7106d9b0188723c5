/**
 * Character classes for the scanner, as a 128-entry table: one array read per character instead
 * of chained comparisons on the hot path. Non-ASCII characters belong to no class (every
 * built-in entity is ASCII), which also makes them natural token boundaries.
 */
export const DIGIT = 1;
export const UPPER = 2;
export const LOWER = 4;
/** `+` and `/`: the two non-alphanumeric characters of standard base64. */
export const B64_EXTRA = 8;
/** `-` and `_`: the two non-alphanumeric characters of base64url. */
export const URL_EXTRA = 16;
export const ALNUM = DIGIT | UPPER | LOWER;
export const BASE64 = ALNUM | B64_EXTRA;
export const BASE64URL = ALNUM | URL_EXTRA;

/** The characters of ALNUM, for detectors' declarative pre-filters. */
export const ALNUM_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Every ASCII character but those of `chars` (for a pre-filter that allows only a few). */
export function asciiExcept(chars: string): string {
  let out = "";
  for (let c = 0; c < 128; c++) if (!chars.includes(String.fromCharCode(c))) out += String.fromCharCode(c);
  return out;
}

export const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = UPPER;
for (let c = 97; c <= 122; c++) CLASS[c] = LOWER;
CLASS[43] = B64_EXTRA; // +
CLASS[47] = B64_EXTRA; // /
CLASS[45] = URL_EXTRA; // -
CLASS[95] = URL_EXTRA; // _

/** The class bits of the character at `i` (0 outside the text or for non-ASCII). */
export function classAt(text: string, i: number): number {
  if (i < 0 || i >= text.length) return 0;
  const c = text.charCodeAt(i);
  return c < 128 ? CLASS[c] : 0;
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Lower-cased window of at most `size` characters ending at `end`, for context keywords. */
export function windowBefore(text: string, end: number, size: number): string {
  return text.slice(Math.max(0, end - size), end).toLowerCase();
}
