import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { openSse, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { auditRecords, rawPost } from "./support/gateway-client";

/**
 * Attack: an upstream's broken answers leak or hang (issue 12, item 15): an HTML error page with
 * a stack trace was relayed to the client; a stream that ended without an answer, or a stdio
 * server whose answer exceeded the agent's read limit, left the client with an empty stream until
 * its own timeout. Defence: each becomes a JSON-RPC error (ERR_UPSTREAM_BAD_RESPONSE), audited,
 * and nothing of the upstream's text is relayed.
 */
describe("broken upstream answers", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    up = await startHostileUpstream((msg, res) => {
      const name = (msg.params as { name?: string } | undefined)?.name;
      if (name === "html_error") {
        res.writeHead(500, { "content-type": "text/html" });
        return void res.end(
          "<html><body><h1>500</h1><pre>Traceback: at /srv/app/secrets.py line 12 password=hunter2</pre></body></html>",
        );
      }
      if (name === "plain_404") {
        res.writeHead(404, { "content-type": "text/plain" });
        return void res.end("no such session /srv/app/internal");
      }
      // An SSE answer that ends without answering.
      const send = openSse(res);
      send(
        `data: ${JSON.stringify({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "working" } })}`,
      );
      res.end();
    });
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [
        { name: "broken", transport: { type: "http", url: up.url } },
        {
          name: "bigstdio",
          transport: {
            type: "stdio",
            command: process.execPath,
            args: [path.join(__dirname, "support", "oversized-stdio-server.cjs")],
          },
          timeouts: { requestMs: 45_000 },
        },
      ],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["broken", "bigstdio"],
          tools: { allow: ["*"] },
        },
      ],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await h?.stop();
    await up?.stop();
  });

  const call = (name: string) =>
    JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name, arguments: {} } });

  test("an HTML error page becomes a JSON-RPC error; its text never reaches the client", async () => {
    const r = await rawPost(h, "broken", token, call("html_error"));
    expect(r.status).toBe(502);
    expect(r.headers.get("content-type")).toContain("application/json");
    expect(r.json?.id).toBe(9);
    expect(r.json?.error?.data?.code).toBe("ERR_UPSTREAM_BAD_RESPONSE");
    expect(r.text).not.toMatch(/Traceback|hunter2|secrets\.py/);
    const record = (await auditRecords(h)).find((x) => x.kind === "mcp.response" && x.action.name === "html_error");
    expect(record?.decision.code).toBe("ERR_UPSTREAM_BAD_RESPONSE");
  });

  test("a plain-text 4xx keeps its status (clients act on 404) but not its text", async () => {
    const r = await rawPost(h, "broken", token, call("plain_404"));
    expect(r.status).toBe(404);
    expect(r.json?.error?.data?.code).toBe("ERR_UPSTREAM_BAD_RESPONSE");
    expect(r.text).not.toContain("/srv/app/internal");
  });

  test("a stream that ends without answering the request ends with a JSON-RPC error for it", async () => {
    const r = await rawPost(h, "broken", token, call("hangs_up"));
    expect(r.messages.at(-1)).toMatchObject({ id: 9, error: { data: { code: "ERR_UPSTREAM_BAD_RESPONSE" } } });
  });

  test("a stdio server's answer over the agent's read limit is answered with a JSON-RPC error, not an empty stream", async () => {
    const client = new Client({ name: "alice", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${h.gatewayUrl}/mcp/bigstdio`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(client);
    const err = (await client.callTool({ name: "dump", arguments: {} }).catch((e) => e)) as McpError;
    expect((err.data as { code?: string } | undefined)?.code).toBe("ERR_UPSTREAM_BAD_RESPONSE");
  }, 60_000);
});
