import { createMasker } from "../../../runtime/core/masking";
import { bundleWith } from "./bundle-helper";

const CARD = "4111 1111 1111 1111";
const client = { server: "customers", tool: "get_customer", copy: "client" as const };
const audit = { ...client, copy: "audit" as const };

describe("createMasker with no bundle", () => {
  const m = createMasker({ bundle: null });
  it("redacts every built-in type in both copies", () => {
    for (const ctx of [client, audit]) {
      const out = m.maskText(`card ${CARD} mail a.b@example.com`, ctx);
      expect(out.value).toBe("card [REDACTED:credit_card] mail [REDACTED:email]");
      expect(out.counts).toEqual({ credit_card: 1, email: 1 });
    }
  });
  it("returns text without findings unchanged", () => {
    expect(m.maskText("nothing here 1.2.3.4", client)).toEqual({ value: "nothing here 1.2.3.4", counts: {} });
  });
});

describe("policy rules", () => {
  const bundle = bundleWith([
    { id: "cards-client", detectors: ["credit_card"], style: "last4", scope: "client" },
    { id: "cards-audit", detectors: ["credit_card"], style: "hash", scope: "audit" },
    { id: "mail", servers: ["customers"], tools: ["get_*"], detectors: ["email"], style: "redact", scope: "both" },
    {
      id: "orders",
      patterns: [{ name: "order-id", regex: "ORD-[0-9]{6}" }],
      fieldNames: ["customerName"],
      fieldPaths: ["items.*.sku"],
    },
  ]);
  const m = createMasker({ bundle, hashKey: Buffer.from("k".repeat(32)) });

  it("applies client-scoped rules to the client copy, with their style", () => {
    expect(m.maskText(`card ${CARD}`, client).value).toBe("card [REDACTED:credit_card:…1111]");
  });

  it("applies every rule to the audit copy with the strictest style (redact > hash > last4)", () => {
    expect(m.maskText(`card ${CARD}`, audit).value).toMatch(/^card \[HASH:credit_card:[0-9a-f]{16}\]$/);
  });

  it("keyed hashes correlate the same value across formats and differ across keys", () => {
    const a = m.maskText("4111111111111111", audit).value;
    expect(m.maskText(CARD, audit).value).toBe(a);
    const other = createMasker({ bundle, hashKey: Buffer.from("z".repeat(32)) });
    expect(other.maskText(CARD, audit).value).not.toBe(a);
  });

  it("honours server and tool globs for the client copy; the audit copy keeps a floor of every detector", () => {
    expect(m.maskText("x a@b.com", client).value).toBe("x [REDACTED:email]");
    expect(m.maskText("x a@b.com", { ...client, tool: "list_customers" }).value).toBe("x a@b.com");
    expect(m.maskText("x a@b.com", { ...client, server: "files" }).value).toBe("x a@b.com");
    expect(m.maskText("x a@b.com 123-45-6789", { ...audit, server: "files" }).value).toBe(
      "x [REDACTED:email] [REDACTED:us_ssn]",
    );
  });

  it("masks custom patterns, field names and field paths", () => {
    const out = m.maskValue({ note: "see ORD-123456", customerName: "Ada", items: [{ sku: "S-1", qty: 2 }] }, client);
    expect(out.value).toEqual({
      note: "see [REDACTED:order-id]",
      customerName: "[REDACTED:field]",
      items: [{ sku: "[REDACTED:field]", qty: 2 }],
    });
    expect(out.counts).toEqual({ "order-id": 1, field: 2 });
  });

  it("refuses a hash rule without a key, and an invalid RE2 pattern", () => {
    expect(() => createMasker({ bundle })).toThrow(expect.objectContaining({ code: "ERR_CONFIG_INVALID" }));
    const bad = bundleWith([{ id: "bad", patterns: [{ name: "p", regex: "(a" }] }]);
    expect(() => createMasker({ bundle: bad })).toThrow(expect.objectContaining({ code: "ERR_POLICY_INVALID" }));
    const backref = bundleWith([{ id: "bad", patterns: [{ name: "p", regex: "(a)\\1" }] }]);
    expect(() => createMasker({ bundle: backref })).toThrow(expect.objectContaining({ code: "ERR_POLICY_INVALID" }));
  });
});

describe("the audit copy is never weaker than the client copy", () => {
  const styles = ["redact", "last4", "hash"] as const;
  const scopes = ["client", "audit", "both"] as const;
  it.each(styles.flatMap((s1) => styles.flatMap((s2) => scopes.map((sc) => [s1, s2, sc] as const))))(
    "client %s + audit %s (%s)",
    (s1, s2, sc) => {
      const bundle = bundleWith([
        { id: "a", detectors: ["credit_card"], style: s1, scope: sc },
        { id: "b", detectors: ["credit_card"], style: s2, scope: "audit" },
      ]);
      const m = createMasker({ bundle, hashKey: Buffer.alloc(32, 1) });
      const c = m.maskText(CARD, client).value;
      const a = m.maskText(CARD, audit).value;
      const reveals = (s: string) => (s === CARD ? 3 : s.includes("…") ? 2 : s.startsWith("[HASH") ? 1 : 0);
      expect(reveals(a)).toBeLessThanOrEqual(reveals(c));
      expect(a).not.toContain("4111");
    },
  );
});

describe("fail closed", () => {
  it("withholds a result over maxScanBytes", () => {
    const m = createMasker({ bundle: bundleWith([], { maxScanBytes: 1000 }) });
    const big = { jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "a".repeat(1001) }] } };
    expect(() => m.maskMessage(big, client)).toThrow(expect.objectContaining({ code: "ERR_RESULT_WITHHELD" }));
    expect(() => m.maskText("a".repeat(1001), client)).toThrow(
      expect.objectContaining({ code: "ERR_RESULT_WITHHELD" }),
    );
  });

  it("passes it unmasked only when the policy says so, and says so in the counts", () => {
    const m = createMasker({ bundle: bundleWith([], { maxScanBytes: 1000, onUnscannable: "pass" }) });
    const text = `${"a".repeat(1001)} ${CARD}`;
    expect(m.maskText(text, audit)).toEqual({ value: text, counts: { unscannable: 1 } });
  });
});

describe("counts never carry values", () => {
  it("has only type names and numbers", () => {
    const m = createMasker({ bundle: null });
    const out = m.maskMessage(
      { jsonrpc: "2.0", id: 1, result: { structuredContent: { card: CARD, password: "hunter2" } } },
      audit,
    );
    expect(JSON.stringify(out.counts)).not.toMatch(/4111|hunter2/);
    expect(out.counts).toEqual({ credit_card: 1, secret_field: 1 });
  });
});
