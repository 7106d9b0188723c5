import { createMasker } from "../../../runtime/core/masking";
import { bundleWith } from "./bundle-helper";

const ctx = { server: "customers", tool: "get_customer", copy: "client" as const };
type Msg = { result: { structuredContent: Record<string, unknown>; content: { text: string }[] } };

describe("field rules", () => {
  const m = createMasker({
    bundle: bundleWith([
      { id: "paths", fieldPaths: ["customers.*.dob", "result.structuredContent.owner"], detectors: [] },
      { id: "names", fieldNames: ["Home_Address"], detectors: [] },
    ]),
  });

  it("matches paths from a payload root (structuredContent, embedded JSON) and from the message root", () => {
    const embedded = JSON.stringify({ customers: [{ dob: "1990-01-01", name: "A" }] });
    const msg = {
      jsonrpc: "2.0",
      id: 1,
      result: {
        structuredContent: { owner: "Ada", customers: [{ dob: "1985-02-03", name: "B" }] },
        content: [{ type: "text", text: embedded }],
      },
    };
    const out = m.maskMessage(msg, ctx);
    const v = out.value as Msg;
    expect(v.result.structuredContent).toEqual({
      owner: "[REDACTED:field]",
      customers: [{ dob: "[REDACTED:field]", name: "B" }],
    });
    expect(JSON.parse(v.result.content[0].text)).toEqual({ customers: [{ dob: "[REDACTED:field]", name: "A" }] });
    expect(out.counts).toEqual({ field: 3 });
  });

  it("does not match a path at another depth", () => {
    const out = m.maskValue({ x: { customers: [{ dob: "1990-01-01" }] } }, ctx);
    expect(out.counts).toEqual({});
  });

  it("matches field names case-insensitively, ignoring _ - and .", () => {
    expect(m.maskValue({ homeAddress: "1 Main St", "home-address": { street: "x" } }, ctx).value).toEqual({
      homeAddress: "[REDACTED:field]",
      "home-address": { street: "[REDACTED:field]" },
    });
  });
});

describe("copies made from one message", () => {
  const bundle = bundleWith([{ id: "mail-client", detectors: ["email"], style: "last4", scope: "both" }]);
  const m = createMasker({ bundle });
  const msg = {
    jsonrpc: "2.0",
    id: 9,
    result: { content: [{ type: "text", text: "ada.lovelace@example.com card 4111111111111111" }] },
  };
  const original = JSON.stringify(msg);

  it("client gets the rule's style, audit gets the same rule plus the redact floor, and the input is untouched", () => {
    const client = m.maskMessage(msg, ctx);
    const audit = m.maskMessage(msg, { ...ctx, copy: "audit" });
    expect((client.value as Msg).result.content[0].text).toBe("[REDACTED:email:…ecom] card 4111111111111111");
    expect((audit.value as Msg).result.content[0].text).toBe("[REDACTED:email:…ecom] card [REDACTED:credit_card]");
    expect(JSON.stringify(msg)).toBe(original);
  });

  it("a message about no tool gets every rule of its server", () => {
    const scoped = createMasker({
      bundle: bundleWith([{ id: "mail", tools: ["get_customer"], detectors: ["email"] }]),
    });
    const note = { jsonrpc: "2.0", method: "notifications/message", params: { data: "from a@example.com" } };
    expect(scoped.maskMessage(note, { server: "customers", copy: "client" }).counts).toEqual({ email: 1 });
    expect(scoped.maskMessage(note, { server: "customers", tool: "list_customers", copy: "client" }).counts).toEqual(
      {},
    );
  });
});

describe("hash style through the walker", () => {
  it("hashes secret field values and correlates them across messages", () => {
    const m = createMasker({
      bundle: bundleWith([{ id: "h", detectors: ["secret_field"], style: "hash" }]),
      hashKey: Buffer.alloc(32, 7),
    });
    const a = m.maskValue({ password: "hunter2" }, ctx).value as { password: string };
    const b = m.maskText("password=hunter2", ctx).value;
    expect(a.password).toMatch(/^\[HASH:secret_field:[0-9a-f]{16}\]$/);
    expect(b).toBe(`password=${a.password}`);
  });
});

describe("custom patterns", () => {
  it("run in linear time (RE2): a pattern that backtracks catastrophically in JavaScript finishes", () => {
    const m = createMasker({ bundle: bundleWith([{ id: "p", patterns: [{ name: "evil", regex: "(a+)+b" }] }]) });
    expect(m.maskText("a".repeat(200_000) + "!", ctx).counts).toEqual({});
    expect(m.maskText("xx aaab yy", ctx).value).toBe("xx [REDACTED:evil] yy");
  });

  it("report positions in UTF-16 units, so text around non-ASCII characters stays intact", () => {
    const m = createMasker({ bundle: bundleWith([{ id: "p", patterns: [{ name: "ref", regex: "REF-[0-9]{4}" }] }]) });
    expect(m.maskText("é😀 REF-1234 ü", ctx).value).toBe("é😀 [REDACTED:ref] ü");
  });
});
