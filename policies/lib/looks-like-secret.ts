/**
 * Recognises literal secret values written where a reference (a Key Vault secret name) or a
 * non-secret setting is expected. A policy lives in git and in the bundle: a secret there leaks
 * to every reader. Returns what the value looks like, never the value, so messages do not repeat it.
 */
const SHAPES: readonly [RegExp, string][] = [
  [/AccountKey=|SharedAccessKey=|SharedAccessSignature=/i, "an azure connection string"],
  [/[?&](sig|se|sv)=[^&]+/i, "a sas token"],
  [/^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*$/, "a jwt"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a pem private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an aws access key"],
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/, "a github token"],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, "a slack token"],
  [/\bsk-[A-Za-z0-9_-]{20,}/, "an api key"],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+:[^/@\s]+@/i, "a url with a password"],
  [/[?&](api[_-]?key|key|token|access[_-]?token|password|secret|code)=[^&]+/i, "a url carrying a credential"],
];

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** What a literal value looks like when it looks like a secret (e.g. "a jwt"), else null. */
export function looksLikeSecret(value: string): string | null {
  for (const [re, what] of SHAPES) if (re.test(value)) return what;
  // Long random-looking runs: base64 or hex keys, client secrets. Words joined by '-' or '_'
  // (key-vault-style names such as "customers-api-key-prod") have short runs and pass.
  for (const run of value.split(/[\s\-_/.:,;=]+/)) {
    if (/^[0-9a-f]{32,}$/i.test(run)) return "a hex key";
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(run)).length;
    if (run.length >= 24 && classes >= 2 && entropy(run) >= 3.7) return "a high-entropy key";
  }
  return null;
}
