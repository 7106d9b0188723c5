/**
 * Field names that say "secret": a name matches when, lower-cased and stripped of `_`, `-`, `.`
 * and spaces, it ends with one of SUFFIXES (so `db_password`, `AWS_SECRET_ACCESS_KEY`,
 * `x-api-key` and `spring.datasource.password` match) and does not end with one of the
 * protocol names in EXCLUDED (pagination cursors and MCP progress tokens must reach the client).
 */
const SUFFIXES = [
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "secret",
  "token",
  "apikey",
  "apisecret",
  "connectionstring",
  "connstring",
  "connstr",
  "clientsecret",
  "privatekey",
  "accesskey",
  "secretkey",
  "signingkey",
  "encryptionkey",
  "sessionkey",
  "authkey",
  "accountkey",
  "sharedaccesskey",
  "credential",
  "credentials",
  "authorization",
  "cookie",
  "sastoken",
];
const EXCLUDED = [
  "pagetoken",
  "nexttoken",
  "continuationtoken",
  "progresstoken",
  "cursortoken",
  "resumetoken",
  "synctoken",
];

export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[_\-. ]/g, "");
}

/**
 * The last three letters of every suffix, as a bit table indexed by their five low bits each
 * (letters only): a cheap first filter, called at every `=` and `:` after a letter.
 */
const TAILS = new Uint8Array(1 << 15);
for (const x of SUFFIXES) TAILS[tail3(x, x.length)] = 1;

function isLetter(c: number): boolean {
  return (c | 0x20) >= 97 && (c | 0x20) <= 122;
}

function tail3(s: string, end: number): number {
  return ((s.charCodeAt(end - 3) & 31) << 10) | ((s.charCodeAt(end - 2) & 31) << 5) | (s.charCodeAt(end - 1) & 31);
}

/** True when text[start, end) may be a secret name: its last three letters end some suffix. No allocation. */
export function mayBeSecretName(text: string, start: number, end: number): boolean {
  return (
    end - start >= 3 &&
    isLetter(text.charCodeAt(end - 1)) &&
    isLetter(text.charCodeAt(end - 2)) &&
    isLetter(text.charCodeAt(end - 3)) &&
    TAILS[tail3(text, end)] === 1
  );
}

const cache = new Map<string, boolean>();
const CACHE_MAX = 10_000;

export function isSecretFieldName(name: string): boolean {
  if (name.length > 128) return false;
  if (!mayBeSecretName(name, 0, name.length)) return false;
  let yes = cache.get(name);
  if (yes === undefined) {
    const n = normalizeFieldName(name);
    yes = n.length > 0 && SUFFIXES.some((s) => n.endsWith(s)) && !EXCLUDED.some((s) => n.endsWith(s));
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(name, yes);
  }
  return yes;
}
