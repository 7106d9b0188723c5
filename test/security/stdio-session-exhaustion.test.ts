/**
 * Attack: exhaust the agent's memory by opening stdio sessions (each `initialize` spawns a
 * ~65 MB process that lived 15 minutes, with no cap), and hang clients on a crashed server.
 * Sessions are capped per identity and per agent (ERR_SESSION_LIMIT, a JSON-RPC error), idle
 * time is bounded by the agent, and a child that dies is logged (exit signal, masked stderr)
 * while its pending requests get a JSON-RPC error. Real server-filesystem processes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { sealBundle } from "../../runtime/core/policy-model/bundle-version";
import { repoRoot } from "../../runtime/core/repo-root";
import { LocalSigner } from "../../runtime/core/signing/local-signer";
import { AgentTokenSigner } from "../../runtime/core/signing/agent-token-signer";
import { AGENT_AUDIENCE, GATEWAY_ISSUER, bodyHash } from "../../runtime/core/mcp/agent-token";
import { createAgentApp, type AgentApp } from "../../runtime/agent/agent-app";
import { GatewayTokenVerifier } from "../../runtime/agent/gateway-token-verifier";
import { DevEnvCredentialProvider } from "../../runtime/agent/credential-provider";
import type { StdioSessionLimits } from "../../runtime/agent/stdio-limits";
import { captureLogs } from "./support/capture-logs";

const CARD = "4111111111111111";
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};

describe("stdio session exhaustion", () => {
  // The directory name carries a card number: server-filesystem prints it on stderr at start.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gh-${CARD}-`));
  const running: { agent: AgentApp; server: http.Server }[] = [];
  let signer: LocalSigner;
  let base: string; // the capped agent (long idle bound)
  let quickIdleBase: string; // an agent whose idle bound is short

  async function startAgent(stdioLimits: StdioSessionLimits): Promise<string> {
    const bundle = sealBundle({
      schemaVersion: 1,
      // No idleMs: the server's default (15 minutes) applies, bounded by the agent's maxIdleMs.
      servers: [
        {
          name: "files",
          transport: {
            type: "stdio",
            command: process.execPath,
            args: [path.join(repoRoot(), "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"), dir],
          },
        },
      ],
      access: [],
    });
    const agent = createAgentApp({
      bundle,
      verifier: new GatewayTokenVerifier(await signer.publicJwk()),
      credentials: new DevEnvCredentialProvider({}),
      stdioLimits,
    });
    const server = agent.app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    running.push({ agent, server });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    signer = await LocalSigner.create();
    base = await startAgent({ maxPerIdentity: 2, maxTotal: 3 });
    quickIdleBase = await startAgent({ maxIdleMs: 1500 });
  });
  afterAll(async () => {
    for (const { agent, server } of running) {
      await agent.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function send(user: string, method: "POST" | "DELETE", message: unknown, sessionId?: string, at = base) {
    const body = method === "POST" ? Buffer.from(JSON.stringify(message)) : Buffer.alloc(0);
    // Per-call agent tokens are signed as the gateway signs them: by a key the signer certifies.
    const token = await AgentTokenSigner.for(signer).sign({
      iss: GATEWAY_ISSUER,
      aud: AGENT_AUDIENCE,
      sub: user,
      jti: randomUUID(),
      server: "files",
      htm: method,
      rpc: (message as { method?: string } | null)?.method ?? null,
      bh: bodyHash(body),
      corr: "c",
    } as never);
    return fetch(`${at}/mcp/files`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...(sessionId ? { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" } : {}),
      },
      body: method === "POST" ? body : undefined,
    });
  }
  async function open(user: string, at = base): Promise<{ status: number; sid: string | null; code?: string }> {
    const res = await send(user, "POST", INIT, undefined, at);
    const text = await res.text();
    if (res.status !== 200)
      return {
        status: res.status,
        sid: null,
        code: (JSON.parse(text) as { error: { data: { code: string } } }).error.data.code,
      };
    const sid = res.headers.get("mcp-session-id")!;
    expect((await send(user, "POST", { jsonrpc: "2.0", method: "notifications/initialized" }, sid, at)).status).toBe(
      202,
    );
    return { status: 200, sid };
  }
  const close = async (user: string, sid: string) => expect((await send(user, "DELETE", null, sid)).status).toBe(200);

  test("sessions are capped per identity and per agent, with a JSON-RPC error; closing one frees a slot", async () => {
    const a1 = await open("alice");
    const a2 = await open("alice");
    expect([a1.status, a2.status]).toEqual([200, 200]);
    expect(await open("alice")).toEqual({ status: 429, sid: null, code: "ERR_SESSION_LIMIT" });
    const b1 = await open("bob");
    expect(b1.status).toBe(200);
    expect(await open("carol")).toEqual({ status: 429, sid: null, code: "ERR_SESSION_LIMIT" }); // the agent's cap
    await close("alice", a1.sid!);
    const a3 = await open("alice");
    expect(a3.status).toBe(200);
    await Promise.all([close("alice", a2.sid!), close("alice", a3.sid!), close("bob", b1.sid!)]);
  });

  test("an idle session ends after the agent's bound, not the server's 15 minutes", async () => {
    const s = await open("dave", quickIdleBase);
    // Polling with pings would be traffic: wait for the session to disappear from the agent's count.
    const readyz = async () =>
      ((await (await fetch(`${quickIdleBase}/readyz`)).json()) as { stdioSessions: number }).stdioSessions;
    let live = await readyz();
    for (let i = 0; i < 100 && live > 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      live = await readyz();
    }
    expect(live).toBe(0);
    expect((await send("dave", "POST", { jsonrpc: "2.0", id: 9, method: "ping" }, s.sid!, quickIdleBase)).status).toBe(
      404,
    );
  });

  test("a child that dies answers its pending request with a JSON-RPC error, and its exit and masked stderr are logged", async () => {
    const { lines: logged } = await captureLogs(async (lines) => {
      const s = await open("erin");
      // The server prints its directory (with the card number) once initialized: wait for that line.
      for (let i = 0; i < 100 && !lines.some((l) => l.includes("allowed directories")); i++)
        await new Promise((r) => setTimeout(r, 100));
      const pid = childPid(dir);
      process.kill(pid, "SIGSTOP"); // the request below stays pending...
      const pending = await send("erin", "POST", { jsonrpc: "2.0", id: 7, method: "tools/list" }, s.sid!);
      expect(pending.status).toBe(200);
      process.kill(pid, "SIGKILL"); // ...until the process dies
      const text = await pending.text();
      const answer = JSON.parse(/data: (.*)/.exec(text)![1]) as { id: number; error: { data: { code: string } } };
      expect([answer.id, answer.error.data.code]).toEqual([7, "ERR_UPSTREAM_UNAVAILABLE"]);
    }, "info"); // stderr lines are logged at info
    expect(logged.some((l) => l.includes('"agent.stdio_exit"') && l.includes("SIGKILL"))).toBe(true);
    const stderr = logged.filter((l) => l.includes('"agent.stdio_stderr"'));
    expect(stderr.some((l) => l.includes("allowed directories") && l.includes("gh-"))).toBe(true);
    expect(logged.filter((l) => l.includes(CARD))).toEqual([]);
  });
});

/** The pid of the server-filesystem process serving `dir` (found in /proc: the agent does not expose it). */
function childPid(dir: string): number {
  const found = fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(dir);
      } catch {
        return false;
      }
    });
  expect(found).toHaveLength(1);
  return Number(found[0]);
}
