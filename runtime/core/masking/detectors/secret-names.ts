/**
 * Field names that say "secret": a name matches when, lower-cased and stripped of `_`, `-`, `.`
 * and spaces, it ends with one of SUFFIXES (so `db_password`, `AWS_SECRET_ACCESS_KEY`,
 * `x-api-key` and `spring.datasource.password` match) and does not end with one of the
 * protocol names in EXCLUDED (pagination cursors and MCP progress tokens must reach the client).
 */
const SUFFIXES = [
  "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "apisecret",
  "connectionstring", "connstring", "connstr", "clientsecret", "privatekey", "accesskey",
  "secretkey", "signingkey", "encryptionkey", "sessionkey", "authkey", "accountkey",
  "sharedaccesskey", "credential", "credentials", "authorization", "cookie", "sastoken",
];
const EXCLUDED = ["pagetoken", "nexttoken", "continuationtoken", "progresstoken", "cursortoken", "resumetoken", "synctoken"];

export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[_\-. ]/g, "");
}

const cache = new Map<string, boolean>();
const CACHE_MAX = 10_000;

export function isSecretFieldName(name: string): boolean {
  if (name.length > 128) return false;
  // Every suffix ends with a letter: numbers, times (10:22) and the like are rejected at once.
  const last = name.charCodeAt(name.length - 1) | 0x20;
  if (last < 97 || last > 122) return false;
  let yes = cache.get(name);
  if (yes === undefined) {
    const n = normalizeFieldName(name);
    yes = n.length > 0 && SUFFIXES.some((s) => n.endsWith(s)) && !EXCLUDED.some((s) => n.endsWith(s));
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(name, yes);
  }
  return yes;
}
