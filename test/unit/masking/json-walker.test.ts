import { createMasker } from "../../../runtime/core/masking";

const m = createMasker({ bundle: null });
const ctx = { server: "customers", tool: "get_customer", copy: "client" as const };
const CARD = "4111111111111111";

describe("JSON-RPC messages", () => {
  it("masks text content and keeps protocol fields, content types and key order", () => {
    const msg = {
      jsonrpc: "2.0",
      id: "req-4111111111111111",
      result: {
        content: [
          { type: "text", text: `card ${CARD}` },
          { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" },
        ],
        isError: false,
      },
    };
    const out = m.maskMessage(msg, ctx);
    expect(out.value).toEqual({
      jsonrpc: "2.0",
      id: "req-4111111111111111",
      result: {
        content: [
          { type: "text", text: "card [REDACTED:credit_card]" },
          { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" },
        ],
        isError: false,
      },
    });
    expect(Object.keys((out.value as { result: object }).result)).toEqual(["content", "isError"]);
  });

  it("masks JSON embedded in text structurally, keeping pretty-printing", () => {
    const inner = { name: "Ada", email: "ada@example.com", password: "pw-123456" };
    const msg = {
      jsonrpc: "2.0",
      id: 1,
      result: { content: [{ type: "text", text: JSON.stringify(inner, null, 2) }] },
    };
    const text = (m.maskMessage(msg, ctx).value as { result: { content: { text: string }[] } }).result.content[0].text;
    expect(JSON.parse(text)).toEqual({ name: "Ada", email: "[REDACTED:email]", password: "[REDACTED:secret_field]" });
    expect(text).toContain('\n  "name"');
  });

  it("leaves embedded JSON byte-for-byte unchanged when nothing is found", () => {
    const text = '{ "a" : 1,   "b": [1, 2] }';
    const out = m.maskMessage({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text }] } }, ctx);
    expect((out.value as { result: { content: { text: string }[] } }).result.content[0].text).toBe(text);
  });

  it("masks structuredContent, resource contents and prompt messages", () => {
    const out = m.maskMessage(
      {
        jsonrpc: "2.0",
        id: 2,
        result: {
          structuredContent: { customer: { ssn: "123-45-6789", cards: [CARD] } },
          contents: [{ uri: "file:///a.txt", mimeType: "text/plain", text: "mail bob@example.org" }],
          messages: [{ role: "user", content: { type: "text", text: "my iban is DE89370400440532013000" } }],
        },
      },
      ctx,
    );
    expect(out.counts).toEqual({ us_ssn: 1, credit_card: 1, email: 1, iban: 1 });
  });

  it("masks call arguments and notifications", () => {
    const call = m.maskMessage(
      {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "search", arguments: { q: "who has 4111 1111 1111 1111", apiKey: "abc" } },
      },
      { ...ctx, copy: "audit" },
    );
    expect(call.value).toEqual({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "search", arguments: { q: "who has [REDACTED:credit_card]", apiKey: "[REDACTED:secret_field]" } },
    });
    const note = m.maskMessage(
      { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "login by eve@example.com" } },
      { server: "files", copy: "client" },
    );
    expect(note.counts).toEqual({ email: 1 });
  });

  it("keeps the protocol fields of every message of a batch", () => {
    const batch = [
      { jsonrpc: "2.0", id: "a@example.com", method: "tools/call", params: { arguments: { q: "a@example.com" } } },
      { jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "b@example.com" }] } },
    ];
    const out = m.maskMessage(batch, ctx).value as { id: unknown }[];
    expect(out.map((x) => x.id)).toEqual(["a@example.com", 2]);
    expect(JSON.stringify(out)).not.toContain("b@example.com");
    expect(JSON.stringify(out)).toContain('"q":"[REDACTED:email]"');
  });

  it("keeps pagination cursors and progress tokens", () => {
    const msg = {
      jsonrpc: "2.0",
      id: 4,
      result: { nextCursor: "abc", _meta: { progressToken: "tok-1" } },
      params: { nextPageToken: "x" },
    };
    expect(m.maskMessage(msg, ctx).value).toEqual(msg);
  });

  it("masks values under secret-named fields whole, including nested values and numbers", () => {
    const out = m.maskValue(
      { credentials: { user: "u", pin: 1234 }, db_password: 987654, token: { a: ["x"] }, ok: true },
      ctx,
    );
    expect(out.value).toEqual({
      credentials: { user: "[REDACTED:secret_field]", pin: "[REDACTED:secret_field]" },
      db_password: "[REDACTED:secret_field]",
      token: { a: ["[REDACTED:secret_field]"] },
      ok: true,
    });
  });

  it("names a secret field's value by its specific type when a detector recognises it", () => {
    const out = m.maskValue(
      { aws_secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", github_token: "ghp_" + "aB3".repeat(12) },
      ctx,
    );
    expect(out.counts).toEqual({ aws_secret_key: 1, github_token: 1 });
  });

  it("uses the field name as context (bare nine digits under ssn) and scans large integers", () => {
    const out = m.maskValue({ ssn: "123456789", card: 4111111111111111, count: 123456789 }, ctx);
    expect(out.value).toEqual({ ssn: "[REDACTED:us_ssn]", card: "[REDACTED:credit_card]", count: 123456789 });
  });

  it("masks sensitive object keys and keeps them distinct", () => {
    const out = m.maskValue({ "a@example.com": 1, "b@example.com": 2 }, ctx);
    expect(out.value).toEqual({ "[REDACTED:email]": 1, "[REDACTED:email]#2": 2 });
  });

  it("never modifies its input and handles __proto__ keys as data", () => {
    const input = JSON.parse(`{"__proto__": {"password": "x"}, "a": ["${CARD}"]}`);
    const copy = JSON.parse(JSON.stringify(input));
    const out = m.maskValue(input, ctx).value as Record<string, unknown>;
    expect(input).toEqual(copy);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"password":"[REDACTED:secret_field]"},"a":["[REDACTED:credit_card]"]}',
    );
  });
});
