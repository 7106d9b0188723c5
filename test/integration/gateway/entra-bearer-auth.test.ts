import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { SignJWT, decodeJwt, generateKeyPair, type JWK } from "jose";
import { createHmac, createPublicKey } from "node:crypto";
import { startLocalIssuer, DEMO, type LocalIssuer } from "../../../dev/local-issuer-launcher";
import { createEntraBearerAuth } from "../../../runtime/gateway/auth";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { mintJitToken } from "../../../runtime/core/mcp/jit-token";

/** A real issuer, the real strategy and middleware, a one-route app that echoes req.auth. */
describe("Entra bearer auth (jose strategy) against a real OIDC issuer", () => {
  let issuer: LocalIssuer;
  let other: LocalIssuer;
  let server: http.Server;
  let base: string;
  let signer: LocalSigner;
  const revoked = new Set<string>();

  beforeAll(async () => {
    [issuer, other] = await Promise.all([startLocalIssuer(), startLocalIssuer()]);
    signer = await LocalSigner.create();
    const auth = createEntraBearerAuth({
      identityMetadata: `${issuer.url}/.well-known/openid-configuration`,
      audience: DEMO.audience,
      tenantIds: [DEMO.tenantId],
      publicUrl: "https://gw.example.test",
      jit: { publicJwk: await signer.publicJwk(), isGrantRevoked: async (g) => revoked.has(g) },
    });
    const app = express();
    app.post("/mcp/:server", auth, (req, res) => void res.json(req.auth));
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await Promise.all([issuer.stop(), other.stop()]);
  });

  const call = (token?: string) =>
    fetch(`${base}/mcp/files`, {
      method: "POST",
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  const jwks = async (): Promise<JWK[]> => ((await (await fetch(`${issuer.url}/jwks`)).json()) as { keys: JWK[] }).keys;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

  async function expectRefused(token: string | undefined, code: string) {
    const res = await call(token);
    expect(res.status).toBe(401);
    const challenge = res.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain(
      'resource_metadata="https://gw.example.test/.well-known/oauth-protected-resource/mcp/files"',
    );
    expect(challenge.includes('error="invalid_token"')).toBe(token !== undefined);
    const body = (await res.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe(code);
  }

  test("a valid token yields the identity used for policy", async () => {
    const res = await call(await issuer.token("alice"));
    expect(res.status).toBe(200);
    const id = await res.json();
    expect(id).toMatchObject({
      oid: DEMO.users.alice.oid,
      tenantId: DEMO.tenantId,
      username: "alice@gatehouse.local",
      roles: ["Engineer"],
      groupsOverage: false,
      via: "entra",
      jit: null,
    });
  });

  test("no token: 401 with resource_metadata and no error attribute", () =>
    expectRefused(undefined, "ERR_AUTH_MISSING"));
  test("expired beyond the clock skew", async () =>
    expectRefused(await issuer.token("alice", { exp_offset: "-120" }), "ERR_AUTH_EXPIRED"));
  test("wrong audience", async () =>
    expectRefused(await issuer.token("alice", { aud: "api://someone-else" }), "ERR_AUTH_INVALID"));
  test("wrong issuer (another issuer instance)", async () =>
    expectRefused(await other.token("alice"), "ERR_AUTH_INVALID"));

  test("unsigned (alg none)", async () => {
    const claims = decodeJwt(await issuer.token("alice"));
    await expectRefused(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`, "ERR_AUTH_INVALID");
  });

  test("HS256 signed with the issuer's public key", async () => {
    const [key] = await jwks();
    const claims = decodeJwt(await issuer.token("alice"));
    const input = `${b64({ alg: "HS256", typ: "JWT", kid: key.kid })}.${b64(claims)}`;
    const pem = createPublicKey({ key: key as never, format: "jwk" }).export({ type: "spki", format: "pem" });
    const sig = createHmac("sha256", pem).update(input).digest("base64url");
    await expectRefused(`${input}.${sig}`, "ERR_AUTH_INVALID");
  });

  test("unknown kid", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const claims = decodeJwt(await issuer.token("alice"));
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "not-a-known-kid" })
      .sign(privateKey);
    await expectRefused(forged, "ERR_AUTH_INVALID");
  });

  test("tampered payload", async () => {
    const [h, , s] = (await issuer.token("carol")).split(".");
    const claims = decodeJwt(await issuer.token("carol"));
    await expectRefused(`${h}.${b64({ ...claims, roles: ["Engineer"] })}.${s}`, "ERR_AUTH_INVALID");
  });

  test("missing roles: authenticated with no roles (the router then answers 403)", async () => {
    const res = await call(await issuer.token("alice", { omit_roles: "true" }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { roles: string[] }).roles).toEqual([]);
  });

  test("groups overage is recorded, never read as 'no groups'", async () => {
    const res = await call(await issuer.token("alice", { groups_overage: "true" }));
    expect(((await res.json()) as { groupsOverage: boolean }).groupsOverage).toBe(true);
  });

  test("a gateway-issued JIT token is accepted until its grant is revoked", async () => {
    const jit = await mintJitToken(
      signer,
      {
        grantId: "g-1",
        server: "files",
        ruleId: "files-jit",
        holder: { oid: DEMO.users.alice.oid, tenantId: DEMO.tenantId, username: "alice@gatehouse.local" },
      },
      { expiresInSeconds: 300 },
    );
    const ok = await call(jit);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      via: "jit",
      jit: { grantId: "g-1", server: "files", ruleId: "files-jit" },
    });
    revoked.add("g-1");
    await expectRefused(jit, "ERR_AUTH_REVOKED");
  });

  test("a token signed by the gateway key without typ gatehouse-jit (an agent token) is refused", async () => {
    const agentToken = await signer.signJwt(
      { aud: "gatehouse-agent", server: "files", oid: DEMO.users.alice.oid, tid: DEMO.tenantId },
      { expiresInSeconds: 60 },
    );
    await expectRefused(agentToken, "ERR_AUTH_INVALID");
  });

  test("a JIT-shaped token signed by another key is refused", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const kid = (await signer.publicJwk()).kid!;
    const forged = await new SignJWT({
      typ: "gatehouse-jit",
      grant: "g-2",
      server: "files",
      rule: "r",
      oid: "x",
      tid: DEMO.tenantId,
    })
      .setProtectedHeader({ alg: "ES256", kid })
      .setExpirationTime("5m")
      .sign(privateKey);
    await expectRefused(forged, "ERR_AUTH_INVALID");
  });
});
