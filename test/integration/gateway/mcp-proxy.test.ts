import fs from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { repoRoot } from "../../../runtime/core/repo-root";
import { startHarness, type Harness } from "./gateway-harness";

/**
 * The MCP SDK client through gateway → agent → server-everything (Streamable HTTP) and
 * server-filesystem (stdio), as the demo users, with a small bundle built by sealBundle.
 */
const bundleFor = ({ everythingUrl, filesDir }: { everythingUrl: string; filesDir: string }) => ({
  schemaVersion: 1,
  servers: [
    { name: "everything", transport: { type: "http", url: everythingUrl } },
    { name: "slow", transport: { type: "http", url: everythingUrl }, timeouts: { requestMs: 700 } },
    {
      name: "files",
      transport: {
        type: "stdio",
        command: process.execPath,
        args: [path.join(repoRoot(), "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"), filesDir],
      },
    },
  ],
  access: [
    {
      id: "engineers",
      mode: "standing",
      principals: { roles: ["Engineer"] },
      servers: ["everything", "slow", "files"],
      tools: { allow: ["*"], deny: ["get-env"] },
      resources: { allow: ["*"] },
      prompts: { allow: ["*"] },
    },
    {
      id: "approvers-echo",
      mode: "standing",
      principals: { roles: ["Approver"] },
      servers: ["everything"],
      tools: { allow: ["echo", "get-sum"] },
    },
  ],
  masking: [{ id: "emails", detectors: ["email"] }],
  approvals: [
    {
      id: "big-sums",
      servers: ["everything"],
      tools: ["get-sum"],
      when: [{ path: "a", op: "gt", value: 1000 }],
      approvers: { roles: ["Approver"] },
    },
  ],
  guardrails: [
    {
      id: "no-drop",
      servers: ["everything"],
      tools: ["echo"],
      when: [{ path: "message", op: "contains", value: "DROP TABLE" }],
      message: "destructive SQL is not allowed",
    },
  ],
});

describe("MCP proxy: SDK client → gateway → agent → real MCP servers", () => {
  let h: Harness;
  const clients: Client[] = [];
  beforeAll(async () => {
    h = await startHarness(bundleFor);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await h?.stop();
  });

  async function connect(user: string, server: string, extra?: Record<string, string>) {
    const token = await h.token(user, extra);
    const transport = new StreamableHTTPClientTransport(new URL(`${h.gatewayUrl}/mcp/${server}`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: `test-${user}`, version: "1.0.0" });
    await client.connect(transport);
    clients.push(client);
    return { client, transport, token };
  }
  const codeOf = (e: unknown) => ((e as McpError).data as { code?: string } | undefined)?.code;

  test("tools/list is filtered per role and never cacheable", async () => {
    const alice = await connect("alice", "everything");
    const names = (await alice.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("echo");
    expect(names).toContain("trigger-long-running-operation");
    expect(names).not.toContain("get-env");
    const bob = await connect("bob", "everything");
    expect((await bob.client.listTools()).tools.map((t) => t.name).sort()).toEqual(["echo", "get-sum"]);

    const raw = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${bob.token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": bob.transport.sessionId!,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 99, method: "tools/list" }),
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("cache-control")).toContain("no-store");
    await raw.text();
  });

  test("a call is answered with masked results; denied tools, guardrails and approvals are refused with a reason", async () => {
    const { client } = await connect("alice", "everything");
    const echoed = await client.callTool({ name: "echo", arguments: { message: "write to carol@example.com" } });
    const text = JSON.stringify(echoed.content);
    expect(text).not.toContain("carol@example.com");
    expect(text).toContain("write to");

    await expect(client.callTool({ name: "get-env", arguments: {} })).rejects.toThrow(McpError);
    expect(codeOf(await client.callTool({ name: "get-env", arguments: {} }).catch((e) => e))).toBe("ERR_TOOL_DENIED");
    expect(
      codeOf(await client.callTool({ name: "echo", arguments: { message: "DROP TABLE users" } }).catch((e) => e)),
    ).toBe("ERR_GUARDRAIL_BLOCKED");
    expect(codeOf(await client.callTool({ name: "get-sum", arguments: { a: 5000, b: 1 } }).catch((e) => e))).toBe(
      "ERR_APPROVAL_REQUIRED",
    );
    const small = await client.callTool({ name: "get-sum", arguments: { a: 2, b: 3 } });
    expect(JSON.stringify(small.content)).toContain("5");
  });

  test("progress notifications stream before the result", async () => {
    const { client } = await connect("alice", "everything");
    const seen: number[] = [];
    const result = await client.callTool(
      { name: "trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
      undefined,
      {
        onprogress: (p) => void seen.push(p.progress),
      },
    );
    const resultAt = seen.length;
    expect(result.content).toBeDefined();
    expect(resultAt).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  test("the GET stream delivers server notifications; DELETE ends the session", async () => {
    const { client, transport, token } = await connect("alice", "everything");
    const got = new Promise<unknown>((resolve) =>
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => resolve(n.params)),
    );
    await client.setLoggingLevel("debug");
    await client.callTool({ name: "toggle-simulated-logging", arguments: {} });
    await expect(
      Promise.race([
        got,
        new Promise((_, rej) => setTimeout(() => rej(new Error("no notification on the GET stream")), 12_000)),
      ]),
    ).resolves.toBeDefined();

    const sid = transport.sessionId!;
    const get = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: "text/event-stream",
        "mcp-session-id": sid,
        "mcp-protocol-version": "2025-06-18",
      },
    });
    // The SDK client already holds the session's one GET stream: upstream answers 409, passed through.
    expect([200, 409]).toContain(get.status);
    await get.body?.cancel();

    await transport.terminateSession();
    const after = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": sid,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    // The upstream no longer knows the session (server-everything answers 400, the SDK's servers 404).
    expect([400, 404]).toContain(after.status);
    await after.text();
  }, 30_000);

  test("another identity cannot use a session id, and the gateway's refusal does not reveal it exists", async () => {
    const alice = await connect("alice", "everything");
    const bobToken = await h.token("bob");
    const res = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${bobToken}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": alice.transport.sessionId!,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe("ERR_SESSION_INVALID");
  });

  test("another gateway replica with the same session key serves the session (no session table)", async () => {
    const alice = await connect("alice", "everything");
    const replica = await h.extraGateway({});
    const res = await fetch(`${replica}/mcp/everything`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${alice.token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": alice.transport.sessionId!,
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/list" }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("echo");
  });

  test("a valid identity without access is refused with 403 (Auditor role, missing roles)", async () => {
    await expect(connect("carol", "everything")).rejects.toThrow(/ERR_FORBIDDEN/);
    await expect(connect("alice", "everything", { omit_roles: "true" })).rejects.toThrow(/ERR_FORBIDDEN/);
    await expect(connect("bob", "files")).rejects.toThrow(/ERR_FORBIDDEN/);
    const res = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await h.token("carol")}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    });
    expect(res.status).toBe(403);
    await res.text();
  });

  test("stdio upstream: list, call, and DELETE through the agent's spawned process", async () => {
    fs.writeFileSync(path.join(h.filesDir, "hello.txt"), "hello from the files server; mail dave@example.com");
    const { client, transport } = await connect("alice", "files");
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain("read_text_file");
    const read = await client.callTool({
      name: "read_text_file",
      arguments: { path: path.join(h.filesDir, "hello.txt") },
    });
    const text = JSON.stringify(read.content);
    expect(text).toContain("hello from the files server");
    expect(text).not.toContain("dave@example.com");
    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
  });

  test("an upstream slower than the server's timeout is answered with ERR_UPSTREAM_TIMEOUT", async () => {
    const { client } = await connect("alice", "slow");
    const err = await client
      .callTool({ name: "trigger-long-running-operation", arguments: { duration: 3, steps: 2 } })
      .catch((e) => e);
    expect(codeOf(err)).toBe("ERR_UPSTREAM_TIMEOUT");
  });

  test("every forwarded request was durable before its response, with masked arguments", async () => {
    const trail = await readAuditTrail({ blobService: h.blobService });
    const records = trail.chains.get("gateway-test") ?? [];
    const echo = records.filter((r) => r.action.name === "echo" && r.decision.outcome === "allowed");
    const req = echo.find((r) => r.kind === "mcp.request" && JSON.stringify(r.action.arguments).includes("write to"))!;
    expect(req).toBeDefined();
    expect(JSON.stringify(req.action.arguments)).not.toContain("carol@example.com");
    const res = records.find((r) => r.kind === "mcp.response" && r.correlationId === req.correlationId)!;
    expect(res.seq).toBeGreaterThan(req.seq);
    expect(res.result.status).toBe("ok");
    const denied = records.find((r) => r.action.name === "get-env" && r.decision.outcome === "denied");
    expect(denied?.decision.code).toBe("ERR_TOOL_DENIED");
    const refused = records.find((r) => r.kind === "http.refused" && r.decision.code === "ERR_FORBIDDEN");
    expect(refused?.actor.username).toBe("carol@gatehouse.local");
  });
});
