import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { openSse, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { rawPost } from "./support/gateway-client";

/**
 * Attack: data in the SSE fields besides `data` (issue 12, item 10): a card number as an event
 * `id`, an event type a client might treat specially. They were relayed unmasked. Defence: `event`
 * only absent or `message` (others dropped), `id` only short printable ASCII unchanged by masking
 * (else dropped), `retry` only digits.
 */
const CARD = "4111111111111111";

describe("SSE field injection", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  beforeAll(async () => {
    up = await startHostileUpstream((msg, res) => {
      const send = openSse(res);
      const note = (text: string) =>
        JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: text } });
      send(`id: ${CARD}\nevent: message\ndata: ${note("card id")}`);
      send(`event: admin\ndata: ${note("other event type")}`);
      send(`id: stream-1_2\nretry: 1000; rm -rf\ndata: ${note("fine id")}`);
      send(`data: ${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { content: [] } })}`);
      res.end();
    });
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [{ name: "fields", transport: { type: "http", url: up.url } }],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["fields"],
          tools: { allow: ["*"] },
        },
      ],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await up?.stop();
  });

  test("ids that carry data, foreign event types and malformed retry values are not relayed", async () => {
    const r = await rawPost(
      h,
      "fields",
      token,
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "t", arguments: {} } }),
    );
    expect(r.text).not.toContain(CARD);
    expect(r.text).not.toContain("event: admin");
    expect(r.text).not.toContain("other event type");
    expect(r.text).not.toContain("rm -rf");
    expect(r.text).toContain("id: stream-1_2");
    expect(r.messages.map((m) => (m.params as { data?: string } | undefined)?.data ?? "final")).toEqual([
      "card id",
      "fine id",
      "final",
    ]);
  });
});
