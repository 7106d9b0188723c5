import http from "node:http";
import { closeServers, listenOnLoopback } from "../../support/loopback-server";
import { SignJWT, generateKeyPair } from "jose";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { AGENT_AUDIENCE, GATEWAY_ISSUER, bodyHash } from "../../../runtime/core/mcp/agent-token";
import { createAgentApp } from "../../../runtime/agent/agent-app";
import { GatewayTokenVerifier } from "../../../runtime/agent/gateway-token-verifier";
import { AgentTokenSigner } from "../../../runtime/core/signing/agent-token-signer";
import { CachedCredentialProvider, DevEnvCredentialProvider } from "../../../runtime/agent/credential-provider";

/** The agent on loopback in front of a small recording HTTP upstream. */
describe("agent: gateway tokens bound to the request, bundle-named upstreams, injected credentials", () => {
  let upstream: http.Server;
  let agent: http.Server;
  let agentUrl: string;
  let signer: LocalSigner;
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      res
        .writeHead(200, { "content-type": "application/json", "mcp-session-id": "upstream-session-1" })
        .end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: {} }));
    });
    const upBase = (await listenOnLoopback(upstream)).url;
    const upUrl = `${upBase}/mcp`;
    const bundle = sealBundle({
      schemaVersion: 1,
      servers: [
        {
          name: "up",
          transport: { type: "http", url: upUrl },
          credentials: [{ secretName: "up-token", inject: { type: "header", name: "X-Api-Key", prefix: "Key " } }],
        },
        { name: "elsewhere", transport: { type: "http", url: upUrl }, agent: "other" },
      ],
      access: [],
    });
    signer = await LocalSigner.create();
    const { app } = createAgentApp({
      bundle,
      verifier: new GatewayTokenVerifier(await signer.publicJwk()),
      credentials: new CachedCredentialProvider(
        new DevEnvCredentialProvider({ GATEHOUSE_DEV_SECRET_UP_TOKEN: "s3cret" }),
        1000,
      ),
    });
    ({ server: agent, url: agentUrl } = await listenOnLoopback(app));
  });
  afterAll(async () => {
    await closeServers(agent, upstream);
  });

  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
  const claims = (over: Record<string, unknown> = {}) => ({
    iss: GATEWAY_ISSUER,
    aud: AGENT_AUDIENCE,
    sub: "a11ce000",
    jti: `jti-${Math.random()}`,
    server: "up",
    htm: "POST",
    rpc: "ping",
    bh: bodyHash(body),
    corr: "corr-1",
    ...over,
  });
  const send = (token: string | null, server = "up", b: Buffer = body) =>
    fetch(`${agentUrl}/mcp/${server}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: b,
    });
  const codeOf = async (res: Response) => ((await res.json()) as { error: { data: { code: string } } }).error.data.code;

  test("a valid token reaches the upstream with the credential injected, never the gateway token", async () => {
    const res = await send(await AgentTokenSigner.for(signer).sign(claims() as never));
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBe("upstream-session-1");
    await res.text();
    const h = seen[seen.length - 1];
    expect(h["x-api-key"]).toBe("Key s3cret");
    expect(h.authorization).toBeUndefined();
    expect(h.traceparent).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  });

  test("no token, another body, another server, another method, a replay or another key: 401", async () => {
    expect(await codeOf(await send(null))).toBe("ERR_AUTH_MISSING");
    expect(
      (
        await send(
          await AgentTokenSigner.for(signer).sign(claims() as never),
          "up",
          Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/list"}'),
        )
      ).status,
    ).toBe(401);
    expect((await send(await AgentTokenSigner.for(signer).sign(claims({ server: "elsewhere" }) as never))).status).toBe(
      401,
    );
    expect((await send(await AgentTokenSigner.for(signer).sign(claims({ htm: "DELETE" }) as never))).status).toBe(401);
    const once = await AgentTokenSigner.for(signer).sign(claims() as never);
    expect((await send(once)).status).toBe(200);
    expect((await send(once)).status).toBe(401);
    expect((await send(await AgentTokenSigner.for(signer).sign(claims() as never, 600))).status).toBe(401);
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", kid: signer.kid })
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(privateKey);
    expect(await codeOf(await send(forged))).toBe("ERR_AUTH_INVALID");
  });

  test("servers not in the bundle are 404; servers of another agent are 403", async () => {
    const unknown = await send(await AgentTokenSigner.for(signer).sign(claims({ server: "nope" }) as never), "nope");
    expect([unknown.status, await codeOf(unknown)]).toEqual([404, "ERR_UNKNOWN_SERVER"]);
    const other = await send(
      await AgentTokenSigner.for(signer).sign(claims({ server: "elsewhere" }) as never),
      "elsewhere",
    );
    expect([other.status, await codeOf(other)]).toEqual([403, "ERR_FORBIDDEN"]);
  });
});
