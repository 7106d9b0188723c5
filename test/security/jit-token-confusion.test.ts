/**
 * Attack: a token signed with the gateway's own key, but minted for another purpose (an agent
 * token, a JIT-shaped token with another issuer or audience, no `typ`), presented as a JIT
 * session token (issue 14 item 7). The gateway key signs agent tokens, JIT tokens and
 * checkpoints alike: only `typ` gatehouse-jit with the JIT issuer and audience is a session.
 * Through the real bearer middleware on HTTP.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { DEMO, startLocalIssuer, type LocalIssuer } from "../../dev/local-issuer-launcher";
import { createEntraBearerAuth } from "../../runtime/gateway/auth";
import { LocalSigner } from "../../runtime/core/signing/local-signer";
import { JIT_TOKEN_AUDIENCE, JIT_TOKEN_ISSUER, JIT_TOKEN_TYPE, mintJitToken } from "../../runtime/core/mcp/jit-token";

let issuer: LocalIssuer;
let server: http.Server;
let base: string;
let signer: LocalSigner;

beforeAll(async () => {
  issuer = await startLocalIssuer();
  signer = await LocalSigner.create();
  const auth = createEntraBearerAuth({
    identityMetadata: `${issuer.url}/.well-known/openid-configuration`,
    audience: DEMO.audience,
    tenantIds: [DEMO.tenantId],
    publicUrl: "https://gw.example.test",
    jit: { publicJwk: await signer.publicJwk(), isGrantRevoked: async () => false },
  });
  const app = express();
  app.post("/mcp/:server", auth, (req, res) => void res.json(req.auth));
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await issuer.stop();
});

const call = (token: string) =>
  fetch(`${base}/mcp/files`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
const session = {
  typ: JIT_TOKEN_TYPE,
  iss: JIT_TOKEN_ISSUER,
  aud: JIT_TOKEN_AUDIENCE,
  grant: "g-1",
  server: "files",
  rule: "files-jit",
  oid: DEMO.users.alice.oid,
  tid: DEMO.tenantId,
};

test("the control: a minted JIT session token is accepted", async () => {
  const token = await mintJitToken(
    signer,
    {
      grantId: "g-1",
      server: "files",
      ruleId: "files-jit",
      holder: { oid: DEMO.users.alice.oid, tenantId: DEMO.tenantId, username: null },
    },
    { expiresInSeconds: 300 },
  );
  const res = await call(token);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ via: "jit", jit: { grantId: "g-1", server: "files" } });
});

test.each([
  ["an agent token (audience the agent)", { ...session, typ: undefined, aud: "gatehouse-agent" }],
  ["JIT-shaped, audience the agent", { ...session, aud: "gatehouse-agent" }],
  ["JIT-shaped, another issuer", { ...session, iss: "https://gw.example.test" }],
  ["JIT-shaped, no audience", { ...session, aud: undefined }],
  ["JIT-shaped, no typ", { ...session, typ: undefined }],
  ["JIT-shaped, another typ", { ...session, typ: "gatehouse-checkpoint" }],
  // Every claim right, but the JWS header says `JWT` (what the key's other tokens carry).
  ["JIT claims, JWS header typ JWT", session],
])("refused: %s", async (_what, claims) => {
  const res = await call(await signer.signJwt(claims, { expiresInSeconds: 60 }));
  expect(res.status).toBe(401);
  expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe("ERR_AUTH_INVALID");
});
