/**
 * The naive baseline: one JavaScript regular expression per detector (the kind found in many
 * secret scanners), each run over the whole serialized message with replace(). No validation
 * (Luhn, mod-97, JWT header) and no JSON awareness: it is the cost to beat, not a quality peer.
 */
export const NAIVE_PATTERNS: Record<string, RegExp> = {
  credit_card: /\b(?:\d[ -]?){13,19}\b/g,
  us_ssn: /\b\d{3}-\d{2}-\d{4}\b/g,
  iban: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
  email: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  phone: /(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}/g,
  jwt: /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  aws_access_key: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  aws_secret_key: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g,
  azure_storage_key: /[A-Za-z0-9/+]{86}==/g,
  azure_connection_string: /DefaultEndpointsProtocol=[^\s"']+/g,
  azure_sas: /[?&]sig=[A-Za-z0-9%+/=]+/g,
  pem_private_key: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  github_token: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b/g,
  slack_token: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  secret_field:
    /(?:password|passwd|secret|token|api_?key|connectionstring|clientsecret|privatekey|accesskey)["']?\s*[:=]\s*["']?[^\s"',;&]+/gi,
};

export function naiveMask(text: string): string {
  let out = text;
  for (const [type, re] of Object.entries(NAIVE_PATTERNS)) out = out.replace(re, `[REDACTED:${type}]`);
  return out;
}
