/**
 * Realistic values of every built-in entity type, valid by construction (Luhn, mod-97, issued
 * SSN ranges, decodable JWT headers), and decoys that look alike but are not sensitive.
 */
import { ALNUM, BASE64, BASE64URL, HEX, Random } from "./random";

function luhnComplete(partial: string): string {
  let sum = 0;
  for (let k = 0; k < partial.length; k++) {
    let d = Number(partial[partial.length - 1 - k]);
    if (k % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return partial + ((10 - (sum % 10)) % 10);
}

const BRANDS: [string[], number][] = [
  [["4"], 16],
  [["51", "52", "53", "54", "55", "2221", "2720"], 16],
  [["34", "37"], 15],
  [["6011", "65"], 16],
  [["3528", "3589"], 16],
  [["36", "38"], 14],
  [["62"], 16],
  [["6759", "5018"], 16],
  [["4"], 19],
];

export function creditCard(r: Random): string {
  const [prefixes, len] = r.pick(BRANDS);
  const p = r.pick(prefixes);
  const pan = luhnComplete(p + r.digits(len - 1 - p.length));
  const style = r.int(0, 2);
  if (len === 15 && style !== 0) return `${pan.slice(0, 4)} ${pan.slice(4, 10)} ${pan.slice(10)}`; // Amex 4-6-5
  if (style === 0 || len % 4 !== 0) return pan;
  const sep = style === 1 ? " " : "-";
  return pan.match(/.{4}/g)!.join(sep);
}

export function usSsn(r: Random, withSeparators = true): string {
  let area = r.int(1, 899);
  if (area === 666) area = 667;
  const a = String(area).padStart(3, "0");
  const g = String(r.int(1, 99)).padStart(2, "0");
  const s = String(r.int(1, 9999)).padStart(4, "0");
  const sep = r.pick(["-", "-", "-", " "]);
  return withSeparators ? `${a}${sep}${g}${sep}${s}` : `${a}${g}${s}`;
}

const IBAN_COUNTRIES: [string, number][] = [
  ["DE", 22],
  ["GB", 22],
  ["FR", 27],
  ["NL", 18],
  ["ES", 24],
  ["IT", 27],
  ["BE", 16],
  ["CH", 21],
  ["PL", 28],
  ["AT", 20],
];

export function iban(r: Random): string {
  const [cc, len] = r.pick(IBAN_COUNTRIES);
  const bban =
    cc === "GB" || cc === "NL" ? r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + r.digits(len - 8) : r.digits(len - 4);
  const rearranged = bban + cc + "00";
  let rem = 0;
  for (const ch of rearranged)
    rem = /[0-9]/.test(ch) ? (rem * 10 + Number(ch)) % 97 : (rem * 100 + ch.charCodeAt(0) - 55) % 97;
  const check = String(98 - rem).padStart(2, "0");
  const compact = cc + check + bban;
  return r.chance(0.5) ? compact : compact.match(/.{1,4}/g)!.join(" ");
}

const FIRST = [
  "alice",
  "bob",
  "carol",
  "dave",
  "erin",
  "frank",
  "grace",
  "heidi",
  "ivan",
  "judy",
  "mallory",
  "oscar",
  "peggy",
  "trent",
  "victor",
  "walter",
];
const LAST = ["smith", "jones", "garcia", "muller", "dubois", "rossi", "tanaka", "kowalski", "silva", "nguyen"];
const DOMAINS = [
  "example.com",
  "mail.example.org",
  "contoso.co.uk",
  "fabrikam.io",
  "corp.example.net",
  "gmail.com",
  "outlook.de",
];

export function email(r: Random): string {
  const sep = r.pick([".", "_", "", "-"]);
  const tag = r.chance(0.1) ? `+${r.chars("abcdefghij", 4)}` : "";
  const num = r.chance(0.3) ? String(r.int(1, 99)) : "";
  const address = `${r.pick(FIRST)}${sep}${r.pick(LAST)}${num}${tag}@${r.pick(DOMAINS)}`;
  return r.chance(0.1) ? address.toUpperCase() : r.chance(0.1) ? address[0].toUpperCase() + address.slice(1) : address;
}

export function phone(r: Random): string {
  const n = (k: number) => r.digits(k);
  const area = () => String(r.int(2, 9)) + n(2);
  switch (r.int(0, 13)) {
    case 12:
      return `+1-${area()}-${r.int(2, 9)}${n(2)}-${n(4)}`;
    case 13:
      return `1-${area()}-${r.int(2, 9)}${n(2)}-${n(4)}`;
    case 0:
      return `+1${area()}${r.int(2, 9)}${n(6)}`;
    case 1:
      return `+1 (${area()}) ${r.int(2, 9)}${n(2)}-${n(4)}`;
    case 2:
      return `${area()}-${r.int(2, 9)}${n(2)}-${n(4)}`;
    case 3:
      return `(${area()}) ${r.int(2, 9)}${n(2)}-${n(4)}`;
    case 4:
      return `${area()}.${r.int(2, 9)}${n(2)}.${n(4)}`;
    case 5:
      return `+44 20 ${n(4)} ${n(4)}`;
    case 6:
      return `020 ${n(4)} ${n(4)}`;
    case 7:
      return `07${n(3)} ${n(6)}`;
    case 8:
      return `+49 30 ${n(8)}`;
    case 9:
      return `0${r.int(30, 89)} ${n(7)}`;
    case 10:
      return `0${r.int(1, 9)} ${n(2)} ${n(2)} ${n(2)} ${n(2)}`;
    default:
      return `+33 ${r.int(1, 9)} ${n(2)} ${n(2)} ${n(2)} ${n(2)}`;
  }
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

export function jwt(r: Random): string {
  const header = {
    alg: r.pick(["HS256", "RS256", "ES256"]),
    typ: "JWT",
    ...(r.chance(0.5) ? { kid: r.chars(HEX, 16) } : {}),
  };
  const payload = { sub: r.chars(HEX, 12), iat: r.int(1.6e9, 1.8e9), name: r.pick(FIRST), roles: ["Engineer"] };
  return `${b64url(header)}.${b64url(payload)}.${r.chars(BASE64URL, r.pick([43, 86, 342]))}`;
}

export const awsAccessKey = (r: Random) => r.pick(["AKIA", "ASIA"]) + r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
export const awsSecretKey = (r: Random) => r.chars(BASE64, 40);
export const azureStorageKey = (r: Random) => r.chars(BASE64, 86) + "==";
export const azureConnectionString = (r: Random) =>
  r.chance(0.7)
    ? `DefaultEndpointsProtocol=https;AccountName=${r.chars("abcdefghijklmnopqrstuvwxyz", 10)};AccountKey=${azureStorageKey(r)};EndpointSuffix=core.windows.net`
    : `Endpoint=sb://${r.chars("abcdefghij", 8)}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${r.chars(BASE64, 43)}=`;
export const azureSasSignature = (r: Random) => encodeURIComponent(r.chars(BASE64, 43) + "=");
export function pemPrivateKey(r: Random, newline = "\n"): string {
  const label = r.pick(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"]);
  const lines = Array.from({ length: r.int(3, 12) }, () => r.chars(BASE64, 64));
  return [`-----BEGIN ${label}-----`, ...lines, `${r.chars(BASE64, 20)}==`, `-----END ${label}-----`].join(newline);
}
export const githubToken = (r: Random) =>
  r.chance(0.8)
    ? r.pick(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + r.chars(ALNUM, 36)
    : `github_pat_${r.chars(ALNUM, 22)}_${r.chars(ALNUM, 59)}`;
export const slackToken = (r: Random) =>
  `xox${r.pick(["b", "p", "a"])}-${r.digits(12)}-${r.digits(13)}-${r.chars(ALNUM, 24)}`;
export const secretValue = (r: Random) =>
  r.pick(["hunter2", "Winter2024!", "correcthorse", "p@ssw0rd", "s3cr3t-value", "tr0ub4dor"]) + r.chars("abcdefgh", 3);
export const SECRET_KEYS = [
  "password",
  "db_password",
  "apiKey",
  "api_key",
  "clientSecret",
  "token",
  "secret",
  "passwd",
  "accessKey",
  "connectionString",
];

/** Decoys: must not be reported as any type. */
export function decoy(r: Random): string {
  switch (r.int(0, 17)) {
    case 16:
      return `sha512-${r.chars(BASE64, 86)}==`; // package-lock integrity
    case 17:
      return `nonce ${r.chars(BASE64, 40)}`; // random base64 without AWS context
    case 0: {
      // 16 digits with a card prefix that fail Luhn
      const good = luhnComplete("4" + r.digits(14));
      return good.slice(0, 15) + ((Number(good[15]) + r.int(1, 9)) % 10);
    }
    case 1:
      return `${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-4${r.chars(HEX, 3)}-a${r.chars(HEX, 3)}-${r.chars(HEX, 12)}`; // UUID
    case 2:
      return r.chars(HEX, 64); // sha256
    case 3:
      return r.chars(HEX, 40); // sha1 / git commit
    case 4:
      return `${r.int(0, 20)}.${r.int(0, 40)}.${r.int(0, 300)}.${r.int(0, 9999)}`; // version
    case 5:
      return `20${r.int(10, 29)}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}T${String(r.int(0, 23)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}.${r.digits(3)}Z`;
    case 6:
      return `${String(r.int(1, 28)).padStart(2, "0")}.${String(r.int(1, 12)).padStart(2, "0")}.20${r.int(10, 29)}`; // date
    case 7:
      return `${r.int(1, 255)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`; // IPv4
    case 8:
      return `ORD-20${r.int(10, 29)}-${r.digits(6)}`; // order number
    case 9:
      return `${r.int(1, 9)}${r.digits(9)}`; // 10-digit number, no phone shape
    case 10:
      return `INV ${r.digits(4)} ${r.digits(4)} ${r.digits(4)}`; // grouped reference
    case 11:
      return `${r.int(1, 9)}${r.digits(8)}`; // 9 digits, no SSN context
    case 12:
      return `${r.int(1000, 99999)}-${r.digits(4)}`; // zip+4 like
    case 13:
      return `1.${r.int(6, 9)}e${r.int(10, 20)}`; // float
    case 14:
      return `${r.int(1, 999)}ms`;
    default:
      return `${r.int(1, 1000)}.${r.digits(2)} USD`;
  }
}
