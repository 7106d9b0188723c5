/**
 * maskMessageCopies (one walk, one scan per string) must give, byte for byte, what two
 * maskMessage calls give: the client copy deep-equals maskMessage(m, {copy: "client"}), the
 * audit copy maskMessage(m, {copy: "audit"}), counts included (their order too: the audit
 * record is serialized), and the same error where either call throws. A client copy built from
 * an audit scan where an audit-only finding hid or stretched a client finding would differ here.
 */
import { isDeepStrictEqual } from "node:util";
import {
  createMasker,
  maskCopies,
  type GatehouseMasker,
  type Masker,
  type MessageCopies,
} from "../../../runtime/core/masking";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import { sampleResult } from "../../../bench/mask/sample-results";
import { generateDocuments } from "../../accuracy/labelled-documents";
import { Random } from "../../accuracy/random";
import { bundleWith } from "./bundle-helper";
import { adversarialString, denseStrings, randomMessage, randomRules } from "./copies-corpus";

const HASH_KEY = Buffer.from("copies-test-key-".repeat(2));
const ctx = { server: "customers", tool: "get_customer" };

/** The example organisation's client rule (the gateway bench's bundle): cards, e-mails, SSNs; audit adds the floor. */
const PERSONAL = bundleWith([{ id: "personal-data", detectors: ["credit_card", "email", "us_ssn"] }]);
/** Client and audit rules on the same types with different styles, patterns and field rules per scope. */
const MIXED = bundleWith([
  { id: "cards-client", detectors: ["credit_card", "email"], style: "last4", scope: "client" },
  { id: "cards-audit", detectors: ["credit_card", "secret_field", "jwt"], style: "hash", scope: "audit" },
  { id: "ids", patterns: [{ name: "four-digits", regex: "[0-9]{4}" }], fieldNames: ["owner"], scope: "both" },
  { id: "audit-fields", fieldNames: ["notes"], fieldPaths: ["customers.*.dob"], scope: "audit", style: "hash" },
  { id: "client-paths", fieldPaths: ["result.structuredContent.owner"], scope: "client", style: "last4" },
]);

type Outcome = { ok: true; value: string; counts: string } | { ok: false; code: unknown; details: unknown };

function run(fn: () => { value: unknown; counts: Record<string, number> }): Outcome {
  try {
    const out = fn();
    return { ok: true, value: JSON.stringify(out.value), counts: JSON.stringify(out.counts) };
  } catch (e) {
    const err = e as { code?: unknown; details?: unknown };
    return { ok: false, code: err.code ?? String(e), details: err.details };
  }
}

/** Both ways; returns the mismatches (empty when the copies are the same, byte for byte). */
function compare(m: GatehouseMasker, message: unknown, label: string): string[] {
  const before = JSON.stringify(message);
  const got: { copies?: MessageCopies } = {};
  const dual = run(() => (got.copies = m.maskMessageCopies(message, ctx)).client);
  const client = run(() => m.maskMessage(message, { ...ctx, copy: "client" }));
  const audit = run(() => m.maskMessage(message, { ...ctx, copy: "audit" }));
  const bad: string[] = [];
  if (JSON.stringify(message) !== before) bad.push(`${label}: the input was modified`);
  // Today's order: the client copy first; its error is the call's error, else the audit copy's.
  const expectedError = !client.ok ? client : !audit.ok ? audit : null;
  if (expectedError !== null) {
    if (!isDeepStrictEqual(dual, expectedError)) bad.push(`${label}: error ${JSON.stringify([dual, expectedError])}`);
    return bad;
  }
  const copies = got.copies;
  if (copies === undefined) return [...bad, `${label}: threw ${JSON.stringify(dual)}`];
  if (!isDeepStrictEqual(copies.client, m.maskMessage(message, { ...ctx, copy: "client" })))
    bad.push(`${label}: client copy differs (deep)`);
  if (!isDeepStrictEqual(copies.audit, m.maskMessage(message, { ...ctx, copy: "audit" })))
    bad.push(`${label}: audit copy differs (deep)`);
  if (!isDeepStrictEqual(dual, client)) bad.push(`${label}: client copy differs: ${JSON.stringify([dual, client])}`);
  const a = run(() => copies.audit);
  if (!isDeepStrictEqual(a, audit)) bad.push(`${label}: audit copy differs: ${JSON.stringify([a, audit])}`);
  return bad;
}

const asResult = (text: string, k: number) => ({
  jsonrpc: "2.0",
  id: k,
  result: { content: [{ type: "text", text }], structuredContent: { notes: text.slice(0, 120), owner: k } },
});

describe("maskMessageCopies gives exactly the two maskMessage copies", () => {
  const maskers = (bundle: PolicyBundle | null) => createMasker({ bundle, hashKey: HASH_KEY });

  it.each([
    ["no bundle", null],
    ["personal-data", PERSONAL],
    ["mixed scopes and styles", MIXED],
  ])("the accuracy corpus as tool results (%s)", (_name, bundle) => {
    const m = maskers(bundle);
    const docs = generateDocuments(20251124, 400).map((d) => d.text);
    expect(docs.flatMap((text, k) => compare(m, asResult(text, k), `doc ${k}`))).toEqual([]);
    expect(m.copyStats.rewalked).toBe(0);
  });

  it.each([
    ["no bundle", null],
    ["personal-data", PERSONAL],
    ["mixed scopes and styles", MIXED],
  ])("the mask bench's 100 KiB result (%s)", (_name, bundle) => {
    const m = maskers(bundle);
    expect(compare(m, sampleResult(100 * 1024), "bench sample")).toEqual([]);
  });

  it("seeded random messages under seeded random bundles (client, audit and both scopes; redact, last4, hash)", () => {
    const r = new Random(20261129);
    const dense = denseStrings(20261130);
    const bad: string[] = [];
    let rescanned = 0;
    for (let b = 0; b < 60; b++) {
      const m = maskers(bundleWith(randomRules(r)));
      for (let k = 0; k < 25; k++) bad.push(...compare(m, randomMessage(r, dense), `bundle ${b} message ${k}`));
      rescanned += m.copyStats.rescanned;
    }
    expect(bad).toEqual([]);
    // The fallback (a string scanned again for the client copy) was exercised, not just the shared path.
    expect(rescanned).toBeGreaterThan(0);
  });

  it("adversarial overlaps: secret_field around cards and e-mails, a JWT over digits, a connection string over a key", () => {
    const r = new Random(7);
    const m = maskers(PERSONAL);
    const mixed = maskers(MIXED);
    const bad: string[] = [];
    for (let k = 0; k < 200; k++) {
      const s = adversarialString(r);
      const message = {
        jsonrpc: "2.0",
        id: k,
        result: { content: [{ type: "text", text: s }], structuredContent: { s } },
      };
      bad.push(...compare(m, message, `personal ${k}`), ...compare(mixed, message, `mixed ${k}`));
    }
    expect(bad).toEqual([]);
    expect(m.copyStats.rescanned).toBeGreaterThan(0);
    expect(mixed.copyStats.rescanned).toBeGreaterThan(0);
  });

  it("a card inside a JWT: the client copy masks the card the audit copy's JWT hid", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.4111111111111111";
    const out = maskers(PERSONAL).maskMessageCopies({ jsonrpc: "2.0", id: 1, result: { text: `t ${jwt}` } }, ctx);
    expect(out.client.value).toEqual({
      jsonrpc: "2.0",
      id: 1,
      result: { text: "t eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.[REDACTED:credit_card]" },
    });
    expect(out.audit.value).toEqual({ jsonrpc: "2.0", id: 1, result: { text: "t [REDACTED:jwt]" } });
  });

  it.each([
    ["too deep", { maxScanBytes: 1_000_000 }, () => JSON.stringify(JSON.parse("[".repeat(600) + "]".repeat(600)))],
    ["too large", { maxScanBytes: 100 }, () => "x".repeat(200)],
    ["too large, passed", { maxScanBytes: 100, onUnscannable: "pass" }, () => "x".repeat(200)],
  ])("unscannable results (%s): the same error, or the same pass, as each copy's own walk", (_n, settings, text) => {
    const m = createMasker({ bundle: bundleWith([{ id: "p", detectors: ["email"], scope: "client" }], settings) });
    const message = { jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: text() }] } };
    expect(compare(m, message, "unscannable")).toEqual([]);
  });

  it("a JSON string only the client copy parses (the audit copy masks its field whole), too deep inside", () => {
    const m = createMasker({ bundle: bundleWith([{ id: "n", fieldNames: ["notes"], scope: "audit" }]) });
    const deep = "[".repeat(600) + "]".repeat(600);
    for (const notes of [deep, JSON.stringify({ a: "mail a@b.example" })]) {
      expect(compare(m, { jsonrpc: "2.0", id: 1, result: { notes } }, "one copy parses")).toEqual([]);
    }
  });

  it("batches, __proto__ keys, masked keys that collide, large integers, protocol tokens", () => {
    const m = createMasker({ bundle: MIXED, hashKey: HASH_KEY });
    const item = JSON.parse(
      '{"jsonrpc":"2.0","id":4111111111111111,"result":{"__proto__":{"a@b.io":1,"c@d.io":2},' +
        '"type":"4111111111111111","n":4111111111111111,"m":123456789012,"owner":"Ada 4111111111111111",' +
        '"password":"{\\"x\\":\\"4111111111111111\\"}","notes":"[1,\\"a@b.io\\"]"}}',
    ) as unknown;
    expect(compare(m, [item, item, { jsonrpc: "2.0", method: "x", params: [item] }], "batch")).toEqual([]);
  });

  it("maskCopies falls back to two maskMessage calls for a Masker without maskMessageCopies", () => {
    const real = createMasker({ bundle: PERSONAL });
    const plain: Masker = {
      maskMessage: (v, c) => real.maskMessage(v, c),
      maskValue: (v, c) => real.maskValue(v, c),
      maskText: (t, c) => real.maskText(t, c),
    };
    const message = {
      jsonrpc: "2.0",
      id: 1,
      result: { text: "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc a@b.io" },
    };
    expect(maskCopies(plain, message, ctx)).toStrictEqual(real.maskMessageCopies(message, ctx));
  });
});
