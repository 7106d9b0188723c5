/**
 * Attack: forged or replayed bearer tokens (the OWASP JWT testing list), against every configured
 * identity provider (issue 16): the Entra-shaped local issuer (RS256) and Okta- (PS256), Auth0-
 * (RS256) and Keycloak-shaped (ES256) issuers, through the built gateway. Each forgery starts
 * from a valid token of that issuer and is refused with 401 and a stable code; header URLs (jku,
 * x5u) are never fetched.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, createPublicKey } from "node:crypto";
import { SignJWT, decodeJwt, exportJWK, generateKeyPair, type JWK } from "jose";
import { startIdentityStack, type IdentityStack } from "../integration/identity/support/identity-stack";

jest.setTimeout(180_000);

let env: IdentityStack;
let bait: http.Server;
let baitUrl: string;
let baitHits = 0;
let attackerJwk: JWK;
let attackerKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

beforeAll(async () => {
  const kp = await generateKeyPair("RS256", { extractable: true });
  attackerKey = kp.privateKey;
  attackerJwk = { ...(await exportJWK(kp.publicKey)), kid: "attacker", alg: "RS256", use: "sig" };
  // The attacker's JWKS / certificate host: a verifier that follows jku or x5u would come here.
  bait = http.createServer((_req, res) => {
    baitHits++;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [attackerJwk] }));
  });
  await new Promise<void>((r) => bait.listen(0, "127.0.0.1", r));
  baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}`;
  env = await startIdentityStack();
});
afterAll(async () => {
  await env?.stop();
  await new Promise((r) => bait?.close(r));
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
type Issuer = {
  name: string;
  token: (user: string, extra?: Record<string, string>) => Promise<string>;
  jwks: () => Promise<JWK[]>;
};
const jwksOf = (url: string) => async (): Promise<JWK[]> =>
  ((await (await fetch(`${url}/jwks`)).json()) as { keys: JWK[] }).keys;
const issuers = (): Issuer[] => [
  { name: "entra", token: (u, x) => env.entraToken(u, x), jwks: jwksOf(env.stack.info.issuerUrl) },
  { name: "okta", token: (u, x) => env.okta.token(u, x), jwks: jwksOf(env.okta.url) },
  { name: "auth0", token: (u, x) => env.auth0.token(u, x), jwks: jwksOf(env.auth0.url) },
  { name: "keycloak", token: (u, x) => env.keycloak.token(u, x), jwks: jwksOf(env.keycloak.url) },
];

async function refused(token: string, code = "ERR_AUTH_INVALID"): Promise<void> {
  const res = await fetch(`${env.gateway}/mcp/customers`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe(code);
}

describe.each(["entra", "okta", "auth0", "keycloak"])("%s: forged and misused tokens are refused", (name) => {
  const issuer = (): Issuer => issuers().find((i) => i.name === name)!;
  const claims = async () => decodeJwt(await issuer().token("alice"));

  test("the control: alice's genuine token is accepted", async () => {
    const res = await fetch(`${env.gateway}/.well-known/oauth-protected-resource/mcp/customers`);
    expect(res.status).toBe(200);
    const ok = await fetch(`${env.gateway}/mcp/customers`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await issuer().token("alice")}`,
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
    expect(ok.status).toBe(200);
  });

  test("alg none (unsigned)", async () => refused(`${b64({ alg: "none", typ: "JWT" })}.${b64(await claims())}.`));

  test("HS256 signed with the issuer's public key (algorithm confusion)", async () => {
    const [key] = await issuer().jwks();
    const input = `${b64({ alg: "HS256", typ: "JWT", kid: key.kid })}.${b64(await claims())}`;
    const pem = createPublicKey({ key: key as never, format: "jwk" }).export({ type: "spki", format: "pem" });
    await refused(`${input}.${createHmac("sha256", pem).update(input).digest("base64url")}`);
  });

  test("signed by an attacker's key under an unknown kid", async () => {
    await refused(
      await new SignJWT(await claims()).setProtectedHeader({ alg: "RS256", kid: "attacker" }).sign(attackerKey),
    );
  });

  test("signed by an attacker's key under the issuer's own kid", async () => {
    const [key] = await issuer().jwks();
    await refused(
      await new SignJWT(await claims()).setProtectedHeader({ alg: "RS256", kid: key.kid }).sign(attackerKey),
    );
  });

  test("jku and x5u headers pointing at the attacker's keys are never followed", async () => {
    const before = baitHits;
    await refused(
      await new SignJWT(await claims())
        .setProtectedHeader({ alg: "RS256", kid: "attacker", jku: `${baitUrl}/jwks` })
        .sign(attackerKey),
    );
    await refused(
      await new SignJWT(await claims())
        .setProtectedHeader({ alg: "RS256", kid: "attacker", x5u: `${baitUrl}/cert.pem` })
        .sign(attackerKey),
    );
    expect(baitHits).toBe(before);
  });

  test("the attacker's public key embedded in the header (jwk)", async () => {
    await refused(
      await new SignJWT(await claims())
        .setProtectedHeader({ alg: "RS256", kid: "attacker", jwk: attackerJwk })
        .sign(attackerKey),
    );
  });

  test("kid injection (path traversal, SQL) with an HMAC over an empty key", async () => {
    for (const kid of ["../../../../../dev/null", "' UNION SELECT 'key' --"]) {
      const input = `${b64({ alg: "HS256", typ: "JWT", kid })}.${b64(await claims())}`;
      await refused(`${input}.${createHmac("sha256", "").update(input).digest("base64url")}`);
    }
  });

  test("tampered payload (roles raised) under the genuine signature", async () => {
    const [h, , s] = (await issuer().token("carol")).split(".");
    await refused(
      `${h}.${b64({ ...decodeJwt(await issuer().token("carol")), roles: ["Engineer"], realm_access: { roles: ["Engineer"] } })}.${s}`,
    );
  });

  test("expired beyond the clock skew", async () =>
    refused(await issuer().token("alice", { exp_offset: "-600" }), "ERR_AUTH_EXPIRED"));

  test("wrong audience", async () => refused(await issuer().token("alice", { aud: "api://someone-else" })));

  test("oversized header: refused before or at authentication, never accepted", async () => {
    const [, p, s] = (await issuer().token("alice")).split(".");
    await refused(`${b64({ alg: "RS256", kid: "k".repeat(6000) })}.${p}.${s}`);
    const huge = await fetch(`${env.gateway}/mcp/customers`, {
      method: "POST",
      headers: { authorization: `Bearer ${b64({ alg: "RS256", kid: "k".repeat(70_000) })}.${p}.${s}` },
    });
    expect([401, 431]).toContain(huge.status);
  });
});
