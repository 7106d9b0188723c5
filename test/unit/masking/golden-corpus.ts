/**
 * A seeded, trigger-dense corpus for golden-output.test.ts: real values of every type, decoys,
 * digit groups with every separator, keywords that give context, and the characters that wake
 * detectors (`@ : = / + - ( )`), glued together at random. It exists to catch any change in what
 * the engine finds, not to be realistic (the accuracy corpus is that).
 */
import { BASE64, Random } from "../../accuracy/random";
import * as v from "../../accuracy/sensitive-values";
import { PEM_RSA_PRIVATE_KEY_BEGIN, PEM_RSA_PRIVATE_KEY_END } from "../../fixtures/secret-shaped-samples";

const SEPARATORS = ["", " ", "-", ".", "/", "(", ")", "+", ":", "=", ",", "\n", "  ", "_", "@"];
const WORDS = [
  "ssn",
  "SSN: ",
  "Social Security No. ",
  "tin ",
  "aws",
  "secret",
  "The AWS secret is ",
  "password=",
  "token: ",
  '"apiKey": "',
  "Authorization: Bearer ",
  "?sig=",
  "&sig=",
  "sig=",
  "eyJ",
  "AKIA",
  "ghp_",
  "xoxb-",
  "-----BEGIN ",
  `${PEM_RSA_PRIVATE_KEY_BEGIN}\n`,
  PEM_RSA_PRIVATE_KEY_END,
  "DefaultEndpointsProtocol=https;",
  "AccountName=acct;",
  "AccountKey=",
  "Endpoint=sb://x/;",
  "DE89",
  "GB",
  "the",
  "order",
  "e",
  "x",
  "g",
  "A",
  "Ab",
  "==",
  "null",
  "[REDACTED:x]",
  "{",
  "}",
  '"',
  "'",
  ". ",
  '",',
  ";",
  "é",
  "\u2014",
];
const ALPHABET = "0123456789 -./()+:=@_,;'\"AEGSTaegxyzJ\n";

function digitGroups(r: Random): string {
  const groups = r.int(1, 6);
  const sep = r.pick(SEPARATORS);
  const out: string[] = [];
  for (let k = 0; k < groups; k++) out.push(r.digits(r.int(1, 20)));
  return (r.chance(0.2) ? "+" : r.chance(0.1) ? "(" : "") + out.join(r.chance(0.8) ? sep : r.pick(SEPARATORS));
}

function token(r: Random): string {
  switch (r.int(0, 22)) {
    case 0:
      return v.creditCard(r);
    case 1:
      return v.usSsn(r, r.chance(0.5));
    case 2:
      return v.iban(r);
    case 3:
      return v.email(r);
    case 4:
      return v.phone(r);
    case 5:
      return v.jwt(r);
    case 6:
      return v.awsAccessKey(r);
    case 7:
      return r.pick(["", "AWS secret ", "aws_secret_access_key = ", "secret: ", "nonce "]) + v.awsSecretKey(r);
    case 8:
      return v.azureStorageKey(r);
    case 9:
      return v.azureConnectionString(r);
    case 10:
      return r.pick(["?sig=", "&sig=", ";sig=", "sig=", ""]) + v.azureSasSignature(r);
    case 11:
      return v.pemPrivateKey(r, r.pick(["\n", "\\n"]));
    case 12:
      return v.githubToken(r);
    case 13:
      return v.slackToken(r);
    case 14:
      return `${r.pick(v.SECRET_KEYS)}${r.pick(["=", ": ", '": "', " = "])}${v.secretValue(r)}`;
    case 15:
    case 16:
      return v.decoy(r);
    case 17:
    case 18:
      return digitGroups(r);
    case 19:
      return r.chars(ALPHABET, r.int(1, 12));
    case 20:
      return r.chars(BASE64, r.int(30, 90));
    default:
      return r.pick(WORDS);
  }
}

/** `count` documents of about `size` characters each, reproducible from `seed`. */
export function goldenDocuments(seed: number, count: number, size: number): string[] {
  const r = new Random(seed);
  const docs: string[] = [];
  for (let d = 0; d < count; d++) {
    let s = "";
    while (s.length < size) s += token(r) + r.pick(SEPARATORS);
    docs.push(s);
  }
  return docs;
}
