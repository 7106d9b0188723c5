import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import { repoRoot } from "../../../runtime/core/repo-root";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { AGENT_AUDIENCE, GATEWAY_ISSUER, bodyHash } from "../../../runtime/core/mcp/agent-token";
import { createAgentApp, type AgentApp } from "../../../runtime/agent/agent-app";
import { GatewayTokenVerifier } from "../../../runtime/agent/gateway-token-verifier";
import { AgentTokenSigner } from "../../../runtime/core/signing/agent-token-signer";
import { DevEnvCredentialProvider } from "../../../runtime/agent/credential-provider";

/** stdio upstreams: one real server-filesystem process per session, ended by idle timeout. */
describe("agent stdio sessions", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-stdio-"));
  let agent: AgentApp;
  let server: http.Server;
  let base: string;
  let signer: LocalSigner;

  beforeAll(async () => {
    const bundle = sealBundle({
      schemaVersion: 1,
      servers: [
        {
          name: "files",
          transport: {
            type: "stdio",
            command: process.execPath,
            args: [path.join(repoRoot(), "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"), dir],
          },
          timeouts: { idleMs: 1500 },
        },
      ],
      access: [],
    });
    signer = await LocalSigner.create();
    agent = createAgentApp({
      bundle,
      verifier: new GatewayTokenVerifier(await signer.publicJwk()),
      credentials: new DevEnvCredentialProvider({}),
    });
    server = agent.app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function post(message: unknown, sessionId?: string) {
    const body = Buffer.from(JSON.stringify(message));
    const token = await AgentTokenSigner.for(signer).sign({
      iss: GATEWAY_ISSUER,
      aud: AGENT_AUDIENCE,
      sub: "alice",
      jti: randomUUID(),
      server: "files",
      htm: "POST",
      rpc: (message as { method?: string }).method ?? null,
      bh: bodyHash(body),
      corr: "c",
    } as never);
    return fetch(`${base}/mcp/files`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...(sessionId ? { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" } : {}),
      },
      body,
    });
  }

  test("initialize spawns a session; after idleMs without traffic it is gone (404)", async () => {
    const init = await post({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect(init.status).toBe(200);
    const sid = init.headers.get("mcp-session-id")!;
    const initText = await init.text();
    expect(initText).toContain("serverInfo");
    const inited = await post({ jsonrpc: "2.0", method: "notifications/initialized" }, sid);
    expect(inited.status).toBe(202);
    const list = await post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, sid);
    expect(await list.text()).toContain("read_text_file");
    await new Promise((r) => setTimeout(r, 2500));
    const after = await post({ jsonrpc: "2.0", id: 3, method: "tools/list" }, sid);
    expect(after.status).toBe(404);
    await after.text();
  });

  test("a request without a session that is not initialize is refused", async () => {
    const res = await post({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(res.status).toBe(400);
    await res.text();
  });
});
