import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { jsonAnswer, openSse, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { auditRecords, openSession, rawPost } from "./support/gateway-client";

/**
 * Attack: two requests in flight in one session with the same JSON-RPC id (issue 12, item 3).
 * An upstream routes answers by id (the SDK's transports do), so a `ping` received the unfiltered
 * `tools/list` and a call's result was recorded under another call. Defence: the upstream never
 * sees a client's id; each request is forwarded with a gateway-owned id unique to it and its
 * answer is given back the client's id; an answer with any other id is not relayed.
 */
const TOOLS = [
  { name: "list_customers", inputSchema: { type: "object" } },
  { name: "delete_customer", inputSchema: { type: "object" } },
];

describe("JSON-RPC id collisions", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  beforeAll(async () => {
    // Like the SDK's transports: one stream per request id, answers routed by id, both answered
    // once both requests are in.
    const streams = new Map<unknown, (fields: string) => void>();
    const ends = new Map<unknown, () => void>();
    const held: Record<string, unknown>[] = [];
    up = await startHostileUpstream((msg, res) => {
      if (msg.method === "tools/call") {
        const name = (msg.params as { name: string }).name;
        if (name === "stray_answer") {
          // Answers another request's id first, then its own.
          const send = openSse(res);
          send(`data: ${JSON.stringify({ jsonrpc: "2.0", id: "someone-else", result: { tools: TOOLS } })}`);
          send(
            `data: ${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: "mine" }] } })}`,
          );
          return void res.end();
        }
        if (name === "slow") {
          // Answers once the gateway forwards a cancellation naming this request's (upstream) id.
          return void up
            .next(
              (j) =>
                j.method === "notifications/cancelled" && (j.params as { requestId?: unknown }).requestId === msg.id,
            )
            .then(() =>
              jsonAnswer(res, {
                jsonrpc: "2.0",
                id: msg.id,
                result: { content: [{ type: "text", text: "cancelled" }] },
              }),
            );
        }
        return jsonAnswer(res, { jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: "called" }] } });
      }
      streams.set(msg.id, openSse(res));
      ends.set(msg.id, () => res.end());
      held.push(msg);
      if (held.length < 2) return;
      for (const m of held.splice(0)) {
        const result = m.method === "tools/list" ? { tools: TOOLS } : {};
        streams.get(m.id)!(`data: ${JSON.stringify({ jsonrpc: "2.0", id: m.id, result })}`);
        ends.get(m.id)!();
      }
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
          tools: { allow: ["list_customers", "stray_answer", "slow"] },
        },
      ],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await up?.stop();
  });

  test("two in-flight requests with one id each get their own answer, and the upstream saw two ids", async () => {
    const sid = await openSession(h, "customers", token);
    const [list, ping] = await Promise.all([
      rawPost(h, "customers", token, JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" }), {
        "mcp-session-id": sid,
      }),
      rawPost(h, "customers", token, JSON.stringify({ jsonrpc: "2.0", id: 7, method: "ping" }), {
        "mcp-session-id": sid,
      }),
    ]);
    const ids = [...up.posts("tools/list"), ...up.posts("ping")].map((r) => r.json!.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain(7);
    expect(list.json).toEqual({ jsonrpc: "2.0", id: 7, result: { tools: [TOOLS[0]] } });
    expect(ping.json).toEqual({ jsonrpc: "2.0", id: 7, result: {} });
  });

  test("an answer carrying another request's id is not relayed; the request's own answer is, and is the one audited", async () => {
    const r = await rawPost(
      h,
      "customers",
      token,
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "stray_answer", arguments: {} } }),
    );
    expect(r.messages).toEqual([{ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "mine" }] } }]);
    expect(r.text).not.toContain("delete_customer");
    const response = (await auditRecords(h)).find(
      (x) => x.kind === "mcp.response" && x.action.name === "stray_answer",
    )!;
    expect(JSON.stringify(response.result.masked)).toContain("mine");
  });

  test("a client's cancellation names its own id and reaches the upstream under the gateway's id; an unknown one is not forwarded", async () => {
    const sid = await openSession(h, "customers", token);
    const call = rawPost(
      h,
      "customers",
      token,
      JSON.stringify({ jsonrpc: "2.0", id: 42, method: "tools/call", params: { name: "slow", arguments: {} } }),
      { "mcp-session-id": sid },
    );
    const forwarded = await up.next((j) => j.method === "tools/call" && (j.params as { name: string }).name === "slow");
    const cancel = await rawPost(
      h,
      "customers",
      token,
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 42 } }),
      { "mcp-session-id": sid },
    );
    expect(cancel.status).toBe(202);
    expect((await call).json).toMatchObject({ id: 42, result: { content: [{ text: "cancelled" }] } });
    const cancels = up.posts("notifications/cancelled");
    expect(cancels.map((c) => (c.json!.params as { requestId: unknown }).requestId)).toEqual([forwarded.json!.id]);

    const stray = await rawPost(
      h,
      "customers",
      token,
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 42 } }),
      { "mcp-session-id": sid },
    );
    expect(stray.status).toBe(202);
    expect(up.posts("notifications/cancelled")).toHaveLength(1);
  });
});
