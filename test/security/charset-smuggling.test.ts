import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { jsonAnswer, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { rawPost } from "./support/gateway-client";

/**
 * Attack: the gateway and the upstream read different bytes (issue 12, item 1). A client sends
 * `charset=utf-7` so that `delete+AF8-customer` is `list_customers`-looking text to the gateway and
 * `delete_customer` to an upstream honouring the charset; or UTF-16; or duplicate JSON keys that
 * two parsers resolve differently. Defence: only UTF-8 JSON is accepted (415 otherwise), and the
 * upstream receives the gateway's own serialization of the message it decided, as
 * `application/json`. On the way back, an answer is decoded by its declared charset before it is
 * masked, or refused.
 */
const CARD = "4111 1111 1111 1111";

describe("charset smuggling", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  beforeAll(async () => {
    up = await startHostileUpstream((msg, res) => {
      const name = (msg.params as { name?: string } | undefined)?.name;
      if (name === "utf16_answer") {
        const text = JSON.stringify({
          jsonrpc: "2.0",
          id: msg.id,
          result: { content: [{ type: "text", text: `card ${CARD}` }] },
        });
        res.writeHead(200, { "content-type": "application/json; charset=utf-16le" });
        return void res.end(Buffer.from(text, "utf16le"));
      }
      if (name === "utf7_answer") {
        res.writeHead(200, { "content-type": "application/json; charset=utf-7" });
        return void res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: msg.id,
            result: { content: [{ type: "text", text: "+ADw-script+AD4-" }] },
          }),
        );
      }
      if (name === "utf16_stream") {
        res.writeHead(200, { "content-type": "text/event-stream; charset=utf-16le" });
        return void res.end(
          Buffer.from(
            `data: ${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: `card ${CARD}` }] } })}\n\n`,
            "utf16le",
          ),
        );
      }
      jsonAnswer(res, { jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: "ok" }] } });
    });
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [{ name: "customers", transport: { type: "http", url: up.url } }],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["customers"],
          tools: { allow: ["*"], deny: ["delete_customer"] },
        },
      ],
      masking: [{ id: "cards", detectors: ["credit_card"] }],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await up?.stop();
  });

  const call = (name: string, id = 1) =>
    JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {} } });

  test("a body declared in any charset but UTF-8 is refused with 415 and never forwarded", async () => {
    const before = up.received.length;
    for (const charset of ["utf-7", "UTF-16", "iso-8859-1", "utf-8; charset=utf-7"]) {
      const r = await rawPost(h, "customers", token, call("delete+AF8-customer"), {
        "content-type": `application/json; charset=${charset}`,
      });
      expect(r.status).toBe(415);
      expect(r.json?.error?.data?.code).toBe("ERR_UNSUPPORTED_MEDIA_TYPE");
    }
    expect(up.received.length).toBe(before);
  });

  test("UTF-16 and UTF-32 bodies (byte-order marks) and invalid UTF-8 are refused with 415", async () => {
    const before = up.received.length;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(call("list_customers"), "utf16le")]);
    const utf32 = Buffer.concat([Buffer.from([0x00, 0x00, 0xfe, 0xff]), Buffer.from(call("list_customers"))]);
    const broken = Buffer.concat([
      Buffer.from(call("list_customers").slice(0, -3)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from("}}"),
    ]);
    for (const body of [utf16, utf32, broken]) {
      const r = await rawPost(h, "customers", token, body);
      expect(r.status).toBe(415);
      expect(r.json?.error?.data?.code).toBe("ERR_UNSUPPORTED_MEDIA_TYPE");
    }
    expect(up.received.length).toBe(before);
  });

  test("the upstream receives the gateway's serialization of the decided message, as plain application/json", async () => {
    // Two `params` keys: JSON.parse keeps the last, a first-wins parser upstream would run the other.
    const smuggled = `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"delete_customer","arguments":{}},"params":{"name":"list_customers","arguments":{}}}`;
    const r = await rawPost(h, "customers", token, smuggled, { "content-type": "application/json; charset=UTF-8" });
    expect(r.status).toBe(200);
    const got = up.posts("tools/call").at(-1)!;
    expect(got.headers["content-type"]).toBe("application/json");
    const text = got.body.toString("utf8");
    expect(text.match(/"params"/g)).toHaveLength(1);
    expect(text).not.toContain("delete_customer");
    expect((got.json!.params as { name: string }).name).toBe("list_customers");
  });

  test("an answer in UTF-16 is decoded before masking: the card number never reaches the client", async () => {
    const r = await rawPost(h, "customers", token, call("utf16_answer"));
    expect(r.status).toBe(200);
    const text = JSON.stringify(r.json);
    expect(text).toContain("[REDACTED:credit_card]");
    expect(text.replace(/\\u0000|\0/g, "")).not.toContain("1111");
  });

  test("an answer in a charset the gateway cannot decode (UTF-7) is refused, not relayed", async () => {
    const r = await rawPost(h, "customers", token, call("utf7_answer"));
    expect(r.status).toBe(502);
    expect(r.json?.error?.data?.code).toBe("ERR_UPSTREAM_BAD_RESPONSE");
    expect(r.text).not.toContain("+ADw-script");
  });

  test("an event stream in anything but UTF-8 is refused before a byte of it is relayed", async () => {
    const r = await rawPost(h, "customers", token, call("utf16_stream"));
    expect(r.status).toBe(502);
    expect(r.json?.error?.data?.code).toBe("ERR_UPSTREAM_BAD_RESPONSE");
    expect(r.text.replaceAll("\0", "")).not.toContain("1111");
  });
});
