import { replacementFor, stricter } from "../../../runtime/core/masking/replacement";

describe("replacement styles", () => {
  const key = Buffer.from("0123456789abcdef0123456789abcdef");
  it("redact names the type only", () => {
    expect(replacementFor("credit_card", "redact", "4111111111111111", key)).toBe("[REDACTED:credit_card]");
  });
  it("last4 keeps the last four letters or digits, and redacts short values whole", () => {
    expect(replacementFor("credit_card", "last4", "4111-1111-1111-1234", key)).toBe("[REDACTED:credit_card:…1234]");
    expect(replacementFor("secret_field", "last4", "abc12", key)).toBe("[REDACTED:secret_field]");
  });
  it("hash is HMAC-SHA256 of the canonical value, 16 hex", () => {
    const h = replacementFor("email", "hash", "Ada@Example.com", key);
    expect(h).toMatch(/^\[HASH:email:[0-9a-f]{16}\]$/);
    expect(replacementFor("email", "hash", "ada@example.com", key)).toBe(h);
    expect(replacementFor("email", "hash", "bob@example.com", key)).not.toBe(h);
  });
  it("orders styles redact > hash > last4", () => {
    expect(stricter("last4", "hash")).toBe("hash");
    expect(stricter("hash", "redact")).toBe("redact");
    expect(stricter("redact", "last4")).toBe("redact");
    expect(stricter(undefined, "last4")).toBe("last4");
  });
});
