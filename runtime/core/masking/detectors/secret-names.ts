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

/** The last three letters (lower-cased) of every suffix, as one number each: a cheap first filter. */
const TAILS = new Set(SUFFIXES.map((x) => tail3(x, x.length)));

function tail3(s: string, end: number): number {
  return (
    ((s.charCodeAt(end - 3) | 0x20) << 16) | ((s.charCodeAt(end - 2) | 0x20) << 8) | (s.charCodeAt(end - 1) | 0x20)
  );
}

/** True when text[start, end) may be a secret name: its last three letters end some suffix. No allocation. */
export function mayBeSecretName(text: string, start: number, end: number): boolean {
  return end - start >= 3 && TAILS.has(tail3(text, end));
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
