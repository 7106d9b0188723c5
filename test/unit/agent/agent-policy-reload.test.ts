import http from "node:http";
import { closeServers, listenOnLoopback } from "../../support/loopback-server";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { AGENT_AUDIENCE, GATEWAY_ISSUER, bodyHash } from "../../../runtime/core/mcp/agent-token";
import { createAgentApp } from "../../../runtime/agent/agent-app";
import { GatewayTokenVerifier } from "../../../runtime/agent/gateway-token-verifier";
import { AgentTokenSigner } from "../../../runtime/core/signing/agent-token-signer";
import { DevEnvCredentialProvider } from "../../../runtime/agent/credential-provider";

/** The agent looks servers up in the bundle in force (a reloaded bundle adds or removes upstreams). */
describe("agent follows the bundle in force", () => {
  let upstream: http.Server;
  let agent: http.Server;
  let agentUrl: string;
  let signer: LocalSigner;
  let current: PolicyBundle;
  let withUp: PolicyBundle;
  const without = sealBundle({
    schemaVersion: 1,
    servers: [{ name: "other", transport: { type: "http", url: "http://127.0.0.1:1/mcp" } }],
    access: [],
  });

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      req.resume();
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: {} }));
    });
    const upBase = (await listenOnLoopback(upstream)).url;
    withUp = sealBundle({
      schemaVersion: 1,
      servers: [{ name: "up", transport: { type: "http", url: `${upBase}/mcp` } }],
      access: [],
    });
    current = without;
    signer = await LocalSigner.create();
    const { app } = createAgentApp({
      bundle: () => current,
      verifier: new GatewayTokenVerifier(await signer.publicJwk()),
      credentials: new DevEnvCredentialProvider({}),
    });
    ({ server: agent, url: agentUrl } = await listenOnLoopback(app));
  });
  afterAll(async () => {
    await closeServers(agent, upstream);
  });

  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
  const send = async () => {
    const token = await AgentTokenSigner.for(signer).sign({
      iss: GATEWAY_ISSUER,
      aud: AGENT_AUDIENCE,
      sub: "a11ce000",
      jti: `jti-${Math.random()}`,
      server: "up",
      htm: "POST",
      rpc: "ping",
      bh: bodyHash(body),
      corr: "c",
    } as never);
    const res = await fetch(`${agentUrl}/mcp/up`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${token}`,
      },
      body,
    });
    await res.text();
    return res.status;
  };
  const readyVersion = async () =>
    ((await (await fetch(`${agentUrl}/readyz`)).json()) as { policyVersion: string }).policyVersion;

  test("a server added by a new bundle is reached, and refused again once removed", async () => {
    expect(await send()).toBe(404);
    current = withUp;
    expect(await send()).toBe(200);
    expect(await readyVersion()).toBe(withUp.version);
    current = without;
    expect(await send()).toBe(404);
    expect(await readyVersion()).toBe(without.version);
  });
});
