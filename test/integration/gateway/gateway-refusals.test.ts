import http from "node:http";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { startHarness, type Harness } from "./gateway-harness";

/**
 * Transport-level rules of the gateway with real components: DNS-rebinding protection, 401
 * challenges and RFC 9728 metadata, batches, body size, the 2026-07-28 mirrored headers, rate
 * limits and an audit trail that cannot write (fail closed).
 */
const bundleFor = ({ everythingUrl }: { everythingUrl: string }) => ({
  schemaVersion: 1,
  servers: [{ name: "everything", transport: { type: "http", url: everythingUrl } }],
  access: [
    {
      id: "engineers",
      mode: "standing",
      principals: { roles: ["Engineer"] },
      servers: ["everything"],
      tools: { allow: ["*"] },
    },
  ],
});

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};

describe("gateway refusals (each with its status and stable code)", () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness(bundleFor);
    token = await h.token("alice");
  }, 60_000);
  afterAll(() => h?.stop());

  async function post(body: unknown, headers: Record<string, string> = {}, base = h.gatewayUrl) {
    const res = await fetch(`${base}/mcp/everything`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
        ...headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: { error?: { code: number; data?: { code?: string } } } = {};
    try {
      json = JSON.parse(text);
    } catch {
      /* SSE or empty */
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  test("a foreign Host or Origin is refused before authentication (DNS rebinding)", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${h.gatewayUrl}/mcp/everything`);
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          headers: { host: "evil.example.com", "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(INIT));
    });
    expect(status).toBe(403);
    const bad = await post(INIT, { origin: "http://evil.example.com" });
    expect(bad.status).toBe(403);
    expect(bad.json.error?.data?.code).toBe("ERR_ORIGIN_REFUSED");
  });

  test("401 names the RFC 9728 metadata, which points at the issuer", async () => {
    const res = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(INIT),
    });
    expect(res.status).toBe(401);
    const challenge = res.headers.get("www-authenticate")!;
    const url = /resource_metadata="([^"]+)"/.exec(challenge)![1];
    expect(url).toBe(`${h.gatewayUrl}/.well-known/oauth-protected-resource/mcp/everything`);
    const meta = (await (await fetch(url)).json()) as {
      resource: string;
      authorization_servers: string[];
      scopes_supported: string[];
    };
    expect(meta.resource).toBe(`${h.gatewayUrl}/mcp/everything`);
    expect(meta.authorization_servers).toEqual([h.issuer.url]);
    expect(meta.scopes_supported).toEqual(["api://gatehouse/.default"]);
    expect((await fetch(`${h.gatewayUrl}/.well-known/oauth-protected-resource/mcp/nope`)).status).toBe(404);
  });

  test("batches, malformed bodies, wrong media types and oversized bodies are refused", async () => {
    const batch = await post([INIT]);
    expect([batch.status, batch.json.error?.data?.code]).toEqual([400, "ERR_BATCH_REFUSED"]);
    const junk = await post("{not json");
    expect([junk.status, junk.json.error?.code]).toEqual([400, -32700]);
    const media = await post(INIT, { "content-type": "text/plain" });
    expect([media.status, media.json.error?.data?.code]).toEqual([415, "ERR_UNSUPPORTED_MEDIA_TYPE"]);
    const big = await post({ ...INIT, params: { ...INIT.params, padding: "x".repeat(300 * 1024) } });
    expect([big.status, big.json.error?.data?.code]).toEqual([413, "ERR_BODY_TOO_LARGE"]);
  });

  test("an unknown server is 404; an unknown or forged session id is 404 ERR_SESSION_INVALID", async () => {
    const res = await fetch(`${h.gatewayUrl}/mcp/nope`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(INIT),
    });
    expect(res.status).toBe(404);
    await res.text();
    const forged = await post(
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
      { "mcp-session-id": "g1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
    );
    expect([forged.status, forged.json.error?.data?.code]).toEqual([404, "ERR_SESSION_INVALID"]);
  });

  test("2026-07-28 (stateless): mirrored headers must match the body; GET is not part of it", async () => {
    const v = { "mcp-protocol-version": "2026-07-28" };
    const call = {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "echo", arguments: { message: "hi" } },
    };
    const missing = await post(call, v);
    expect([missing.status, missing.json.error?.code]).toEqual([400, -32020]);
    const mismatch = await post(call, { ...v, "mcp-method": "tools/call", "mcp-name": "get-env" });
    expect([mismatch.status, mismatch.json.error?.code, mismatch.json.error?.data?.code]).toEqual([
      400,
      -32020,
      "ERR_HEADER_MISMATCH",
    ]);
    const get = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream", ...v },
    });
    expect(get.status).toBe(405);
    await get.text();
  });

  test("the per-identity rate limit answers 429 with a JSON-RPC error", async () => {
    const limited = await h.extraGateway({ config: { rateLimitPerMinute: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(INIT, {}, limited)).status);
    expect(statuses.slice(0, 2).every((s) => s === 200)).toBe(true);
    const third = await post(INIT, {}, limited);
    expect([third.status, third.json.error?.data?.code]).toEqual([429, "ERR_RATE_LIMITED"]);
  });

  test("when the audit trail cannot record, nothing is forwarded (fail closed)", async () => {
    const sink = await openBlobAuditSink({ blobService: h.blobService, chainId: "gateway-closed" });
    await sink.close();
    const closed = await h.extraGateway({ audit: sink });
    const res = await post(INIT, {}, closed);
    expect([res.status, res.json.error?.data?.code]).toEqual([503, "ERR_AUDIT_UNAVAILABLE"]);
  });

  test("failed authentication is recorded in the audit trail", async () => {
    const res = await fetch(`${h.gatewayUrl}/mcp/everything`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer not-a-jwt" },
      body: JSON.stringify(INIT),
    });
    expect(res.status).toBe(401);
    await res.text();
    let found = false;
    for (let i = 0; i < 20 && !found; i++) {
      const trail = await readAuditTrail({ blobService: h.blobService });
      found = (trail.chains.get("gateway-test") ?? []).some(
        (r) => r.kind === "http.refused" && r.decision.code === "ERR_AUTH_INVALID" && r.actor.oid === null,
      );
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toBe(true);
  });

  test("healthz and readyz", async () => {
    expect((await fetch(`${h.gatewayUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.gatewayUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, boolean> }).checks).toEqual({
      policy: true,
      audit: true,
      signer: true,
      identityProvider: true,
    });
  });

  test("composeGateway listens first: URLs name the bound port; approvals are wired and /api answers in its own shape (issue 14, items 3 and 5)", async () => {
    const gw = await h.gateway({});
    expect(gw.port).toBeGreaterThan(0);
    expect(gw.url).toBe(`http://127.0.0.1:${gw.port}`);
    const meta = (await (await fetch(`${gw.url}/.well-known/oauth-protected-resource/mcp/everything`)).json()) as {
      resource: string;
    };
    expect(meta.resource).toBe(`${gw.url}/mcp/everything`);
    const api = await fetch(`${gw.url}/api/approvals`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("ERR_AUTH_MISSING");
    const listed = await fetch(`${gw.url}/api/approvals`, { headers: { authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
  });

  test("readyz is not ready while the audit sink cannot write (issue 14, item 8)", async () => {
    const sink = await openBlobAuditSink({
      blobService: h.blobService,
      chainId: "gateway-readyz",
      policyVersion: () => h.bundle.version,
      maxBatchDelayMs: 2,
    });
    const url = await h.extraGateway({ audit: sink });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await sink.close();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, boolean> }).checks).toMatchObject({
      audit: false,
      policy: true,
    });
  });
});
