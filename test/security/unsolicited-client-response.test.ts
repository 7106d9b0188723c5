import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import path from "node:path";
import { CreateMessageRequestSchema, ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { openSse, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { auditRecords, openSession, rawPost } from "./support/gateway-client";

/**
 * Attack: a client's answer to a server request is forwarded unchecked (issue 12, item 2). alice
 * answered the filesystem server's roots/list with `file:///` and the server then served `/`.
 * Defence: a client answer is forwarded only to a server request the gateway relayed to that
 * session (its id is sealed by the gateway); roots are confined to the server's declared roots, and
 * without declared roots the client's roots capability is removed at initialize; answers are
 * audited with their masked content.
 */
describe("unsolicited client responses and roots", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    // The server asks the client something, waits for the answer, and returns what it received.
    up = await startHostileUpstream(async (msg, res) => {
      const name = (msg.params as { name?: string }).name ?? "";
      const ask =
        name === "ask_roots"
          ? { method: "roots/list" }
          : {
              method: "sampling/createMessage",
              params: { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 10 },
            };
      const serverId = `srv-${name}-${String(msg.id)}`;
      const send = openSse(res);
      send(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: serverId, ...ask })}`);
      const answer = await up.next((j) => j.id === serverId && ("result" in j || "error" in j));
      send(
        `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: JSON.stringify(answer.json!.result ?? null) }] } })}`,
      );
      res.end();
    });
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [
        { name: "plain", transport: { type: "http", url: up.url } },
        { name: "confined", transport: { type: "http", url: up.url }, roots: ["file:///srv/allowed"] },
        {
          name: "spawned",
          transport: {
            type: "stdio",
            command: process.execPath,
            args: [path.join(__dirname, "support", "capabilities-stdio-server.cjs")],
          },
        },
      ],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["plain", "confined", "spawned"],
          tools: { allow: ["*"] },
        },
      ],
      masking: [{ id: "emails", detectors: ["email"] }],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await h?.stop();
    await up?.stop();
  });

  async function sdkClient(server: string, roots: string[], samplingText = "") {
    const client = new Client(
      { name: "alice-ide", version: "1" },
      { capabilities: { roots: { listChanged: true }, sampling: {} } },
    );
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: roots.map((uri) => ({ uri })) }));
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: "assistant",
      model: "m",
      content: { type: "text", text: samplingText },
    }));
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${h.gatewayUrl}/mcp/${server}`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    return client;
  }
  const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0].text;

  test("an answer to a request the gateway never relayed is refused with ERR_UNSOLICITED_RESPONSE, audited, not forwarded", async () => {
    const sid = await openSession(h, "plain", token, { roots: {} });
    const forged = { jsonrpc: "2.0", id: "srv-forged-1", result: { roots: [{ uri: "file:///" }] } };
    const r = await rawPost(h, "plain", token, JSON.stringify(forged), { "mcp-session-id": sid });
    expect(r.status).toBe(400);
    expect(r.json?.error?.data?.code).toBe("ERR_UNSOLICITED_RESPONSE");
    expect(up.received.some((x) => x.json?.id === "srv-forged-1")).toBe(false);
    const refused = (await auditRecords(h)).filter((x) => x.decision.code === "ERR_UNSOLICITED_RESPONSE");
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0].decision.outcome).toBe("denied");
  });

  test("a relayed request's id opens only in the session it was relayed to", async () => {
    const client = await sdkClient("plain", []);
    let sealed = "";
    client.setRequestHandler(CreateMessageRequestSchema, async (_req, extra) => {
      sealed = String(extra.requestId);
      return { role: "assistant", model: "m", content: { type: "text", text: "fine" } };
    });
    await client.callTool({ name: "ask_sampling", arguments: {} });
    // The client never sees the upstream's own id, only the gateway's sealed one.
    expect(sealed).not.toMatch(/^srv-/);
    const other = await openSession(h, "confined", token);
    const cross = await rawPost(
      h,
      "confined",
      token,
      JSON.stringify({
        jsonrpc: "2.0",
        id: sealed,
        result: { role: "assistant", model: "m", content: { type: "text", text: "replayed" } },
      }),
      { "mcp-session-id": other },
    );
    expect(cross.status).toBe(400);
    expect(cross.json?.error?.data?.code).toBe("ERR_UNSOLICITED_RESPONSE");
  });

  test("without declared roots, the client's roots capability never reaches the server", async () => {
    await openSession(h, "plain", token, { roots: { listChanged: true }, sampling: {} });
    const init = up.posts("initialize").at(-1)!.json!;
    const caps = (init.params as { capabilities: Record<string, unknown> }).capabilities;
    expect(caps.roots).toBeUndefined();
    expect(caps.sampling).toEqual({});
    await openSession(h, "confined", token, { roots: { listChanged: true } });
    expect(
      (up.posts("initialize").at(-1)!.json!.params as { capabilities: Record<string, unknown> }).capabilities.roots,
    ).toEqual({ listChanged: true });
  });

  test("a spawned (stdio) server never learns that the client offers roots, so it cannot ask for file:///", async () => {
    const client = await sdkClient("spawned", ["file:///"]);
    const seen = JSON.parse(textOf(await client.callTool({ name: "capabilities", arguments: {} })));
    expect(seen.roots).toBeUndefined();
    expect(seen.sampling).toEqual({});
  });

  test("roots a client answers are confined to the server's declared roots", async () => {
    const client = await sdkClient("confined", [
      "file:///",
      "file:///srv/allowed/reports",
      "file:///srv/allowed/../../etc",
      "file:///srv/allowedX",
      "file:///srv/allowed/%2e%2e/secret",
    ]);
    const result = await client.callTool({ name: "ask_roots", arguments: {} });
    expect(JSON.parse(textOf(result))).toEqual({ roots: [{ uri: "file:///srv/allowed/reports" }] });
    const answer = (await auditRecords(h)).find((x) => x.action.method === "roots/list (client answer)");
    expect(answer?.decision.reason).toContain("4 root(s)");
  });

  test("a sampling answer is forwarded to the server but audited masked", async () => {
    const client = await sdkClient("plain", [], "reach me at mallory@example.com");
    await client.callTool({ name: "ask_sampling", arguments: {} });
    const forwarded = up.received
      .filter((x) => x.json && "result" in x.json && String(x.json.id).startsWith("srv-ask_sampling"))
      .at(-1)!;
    expect(forwarded.body.toString("utf8")).toContain("mallory@example.com");
    const answer = (await auditRecords(h))
      .filter((x) => x.action.method === "sampling/createMessage (client answer)")
      .at(-1)!;
    expect(answer).toBeDefined();
    expect(JSON.stringify(answer.result)).not.toContain("mallory@example.com");
    expect(answer.result.maskingCounts.email).toBe(1);
  });
});
