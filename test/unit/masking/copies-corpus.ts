/**
 * Seeded messages and bundles for mask-copies.test.ts: nested objects and arrays, embedded JSON
 * strings, secret field names, policy field names and paths, custom patterns, and bundles that
 * mix client, audit and both-scope rules with different styles. The strings are chosen so that
 * an audit-only finding overlaps a client finding (secret_field around a card or an e-mail, a
 * JWT over digit runs, a connection string over a key, a pattern over part of a card).
 */
import { DETECTOR_IDS } from "../../../runtime/core/policy-model/schema";
import { Random } from "../../accuracy/random";
import * as v from "../../accuracy/sensitive-values";
import { goldenDocuments } from "./golden-corpus";

const KEYS = ["notes", "owner", "dob", "password", "apiKey", "email", "card", "items", "meta", "x", "ssn", "Token"];
const FIELD_NAMES = ["notes", "owner", "Api-Key", "home_address", "meta"];
const FIELD_PATHS = ["customers.*.dob", "result.structuredContent.owner", "*.notes", "meta.card", "items.0"];
const PATTERNS = [
  { name: "order-ref", regex: "ORD-[0-9]{6}" },
  { name: "four-digits", regex: "[0-9]{4}" },
  { name: "key-value", regex: "key=[A-Za-z0-9+/=]+" },
  { name: "at-domain", regex: "@[a-z]+\\.[a-z]+" },
];
const STYLES = ["redact", "last4", "hash"] as const;
const SCOPES = ["client", "audit", "both"] as const;

/** Strings where one plan's finding sits inside, around or next to another's. */
export function adversarialString(r: Random): string {
  switch (r.int(0, 9)) {
    case 0:
      return `password=${v.creditCard(r).replace(/ /g, "")} and token: ${v.email(r)}`;
    case 1:
      return `auth ${v.jwt(r).replace(/\.([A-Za-z0-9_-]{6})/, `.$14111111111111111`)} ok`;
    case 2:
      return `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MTExMTExMTExMTExMTExIn0.${r.digits(16)}${r.chars("abcdef", 27)}`;
    case 3:
      return v.azureConnectionString(r);
    case 4:
      return `"apiKey": "${v.email(r)}", "secret": "${v.usSsn(r)}"`;
    case 5:
      return `key=${v.azureStorageKey(r)} ORD-${r.digits(6)} ${v.creditCard(r)}`;
    case 6:
      return `Authorization: Bearer ${v.jwt(r)} card ${v.creditCard(r)}`;
    case 7:
      return `${v.email(r)}${v.creditCard(r)}${v.phone(r)}`;
    case 8:
      return `https://acct.blob.core.windows.net/c?sv=2022&sig=${v.azureSasSignature(r)}&card=${v.creditCard(r)}`;
    default:
      return `aws_secret_access_key=${v.awsSecretKey(r)} ssn ${v.usSsn(r)} ${v.iban(r)}`;
  }
}

function leaf(r: Random, dense: string[]): unknown {
  switch (r.int(0, 9)) {
    case 0:
      return r.int(0, 1e6);
    case 1:
      return Number(v.creditCard(r).replace(/\D/g, "").slice(0, 15));
    case 2:
      return r.pick([true, false, null, ""]);
    case 3:
    case 4:
      return adversarialString(r);
    case 5:
      return r.pick(dense).slice(0, r.int(10, 300));
    default:
      return `${r.pick(["the", "order", "customer"])} ${adversarialString(r).slice(0, r.int(5, 80))}`;
  }
}

function value(r: Random, depth: number, dense: string[]): unknown {
  const roll = r.int(0, 9);
  if (depth > 4 || roll < 4) return leaf(r, dense);
  if (roll < 6) return Array.from({ length: r.int(0, 4) }, () => value(r, depth + 1, dense));
  if (roll < 8) {
    const o: Record<string, unknown> = {};
    for (let k = r.int(0, 5); k > 0; k--) {
      const key = r.chance(0.15) ? `${r.pick(KEYS)} ${v.email(r)}` : r.pick(KEYS);
      o[key] = value(r, depth + 1, dense);
    }
    return o;
  }
  const doc = value(r, depth + 2, dense);
  return JSON.stringify(
    r.chance(0.5) ? { notes: doc, password: adversarialString(r) } : [doc],
    null,
    r.chance(0.5) ? 2 : 0,
  );
}

/** A tools/call result message (or, now and then, a notification) with random content. */
export function randomMessage(r: Random, dense: string[]): unknown {
  const structured: Record<string, unknown> = {
    owner: leaf(r, dense),
    customers: Array.from({ length: r.int(0, 3) }, () => ({
      dob: "1990-01-01",
      email: v.email(r),
      notes: leaf(r, dense),
    })),
    meta: value(r, 1, dense),
  };
  const content = Array.from({ length: r.int(1, 4) }, () => ({
    type: "text",
    text: r.chance(0.3) ? (value(r, 3, dense) as string) : String(leaf(r, dense)),
  }));
  if (r.chance(0.1)) return { jsonrpc: "2.0", method: "notifications/message", params: { data: value(r, 0, dense) } };
  return { jsonrpc: "2.0", id: r.int(1, 99), result: { content, structuredContent: structured } };
}

function some<T>(r: Random, items: readonly T[], p: number): T[] {
  return items.filter(() => r.chance(p));
}

/** Masking rules of a random bundle: 1-4 rules, any scope and style, some tool-scoped. */
export function randomRules(r: Random): unknown[] {
  return Array.from({ length: r.int(1, 4) }, (_, k) => ({
    id: `rule-${k}`,
    tools: r.chance(0.15) ? ["other_tool"] : ["*"],
    detectors: some(r, DETECTOR_IDS, r.pick([0.1, 0.3, 0.7])),
    patterns: some(r, PATTERNS, 0.2),
    fieldNames: some(r, FIELD_NAMES, 0.15),
    fieldPaths: some(r, FIELD_PATHS, 0.15),
    style: r.pick(STYLES),
    scope: r.pick(SCOPES),
  }));
}

/** The trigger-dense strings of golden-corpus.ts, a source of leaves. */
export const denseStrings = (seed: number) => goldenDocuments(seed, 40, 400);
