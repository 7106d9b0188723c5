import { createMasker, maskSseEventData } from "../../../runtime/core/masking";
import { bundleWith } from "./bundle-helper";

const ctx = { server: "customers", tool: "get_customer", copy: "client" as const };

describe("maskSseEventData", () => {
  const m = createMasker({ bundle: null });

  it("masks the JSON-RPC message of one event and re-serializes it", () => {
    const data = JSON.stringify({ jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "ssn 123-45-6789" }] } });
    const out = maskSseEventData(m, data, ctx);
    expect(JSON.parse(out.value)).toEqual({ jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "ssn [REDACTED:us_ssn]" }] } });
    expect(out.counts).toEqual({ us_ssn: 1 });
  });

  it("passes keep-alive events (empty data) through", () => {
    expect(maskSseEventData(m, "", ctx)).toEqual({ value: "", counts: {} });
  });

  it("withholds data that is not JSON, a sensitive value split across events included", () => {
    // A gateway that flushed partial events would leak "4111 1111"; a partial event is malformed here.
    expect(() => maskSseEventData(m, '{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"4111 1111', ctx)).toThrow(
      expect.objectContaining({ code: "ERR_RESULT_WITHHELD" }),
    );
  });

  it("passes malformed data only when the policy says so", () => {
    const pass = createMasker({ bundle: bundleWith([], { onUnscannable: "pass" }) });
    expect(maskSseEventData(pass, "not json", ctx)).toEqual({ value: "not json", counts: { unscannable: 1 } });
  });

  it("withholds events over maxScanBytes", () => {
    const small = createMasker({ bundle: bundleWith([], { maxScanBytes: 100 }) });
    expect(() => maskSseEventData(small, JSON.stringify({ jsonrpc: "2.0", method: "x", params: { a: "b".repeat(200) } }), ctx)).toThrow(
      expect.objectContaining({ code: "ERR_RESULT_WITHHELD" }),
    );
  });
});
