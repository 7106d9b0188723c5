#!/usr/bin/env node
// A real OIDC issuer (oauth2-mock-server, its own process like dev/local-issuer.mjs) whose tokens
// are shaped like one identity provider's: Entra ID, Okta, Auth0 or Keycloak claim layouts, a
// chosen signing algorithm, and optionally Entra's multi-tenant discovery (`{tenantid}` issuer).
// Tests only. Usage: node shaped-issuer-process.mjs --shape '<json>'; prints "shaped issuer listening at <url>".
//
// shape: { provider: "entra"|"okta"|"auth0"|"keycloak", alg?: "RS256"|"ES256"|"PS256",
//          multiTenant?: boolean, audience?: string, users?: { name: { oid, username, roles, groups?, tid? } } }
// Token endpoint knobs (form fields): `username` (a user) or `app` (a client-credentials machine
// token for that client id), `aud` (comma-separated for several), `exp_offset`, `tid`, `iss` (override), `roles` (comma list).
// Authorization-code flow: `login_hint` names the user (no picker).
import { OAuth2Server } from "oauth2-mock-server";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const demo = JSON.parse(readFileSync(join(here, "../../../../runtime/cli/demo-users.json"), "utf8"));
const args = process.argv.slice(2);
const shape = JSON.parse(args[args.indexOf("--shape") + 1] ?? "{}");
const provider = shape.provider ?? "entra";
const users = { ...demo.users, ...(shape.users ?? {}) };
const audience = shape.audience ?? demo.audience;

const server = new OAuth2Server();
await server.issuer.keys.generate(shape.alg ?? "RS256");

const codeUser = new Map();
const codeNonce = new Map();
server.service.on("beforeAuthorizeRedirect", (redirect, req) => {
  const url = new URL(req.url, "http://localhost");
  const code = redirect.url.searchParams.get("code");
  if (!code) return;
  if (url.searchParams.get("login_hint")) codeUser.set(code, url.searchParams.get("login_hint"));
  if (url.searchParams.get("nonce")) codeNonce.set(code, url.searchParams.get("nonce"));
});

const tenantIssuer = (url, tid) => (shape.multiTenant ? `${url}/${tid}/v2.0` : url);

/** The claims of a user's token, laid out as the provider lays them out. */
function userClaims(p, u, tid) {
  switch (provider) {
    case "entra":
      Object.assign(p, {
        sub: u.oid,
        oid: u.oid,
        tid,
        ver: "2.0",
        preferred_username: u.username,
        roles: u.roles,
        scp: "access",
      });
      if (u.groups?.length) p.groups = u.groups;
      break;
    case "okta":
      Object.assign(p, { sub: u.username, uid: u.oid, cid: "okta-client", scp: ["openid", "mcp"], groups: u.roles });
      break;
    case "auth0":
      Object.assign(p, {
        sub: `auth0|${u.oid}`,
        azp: "auth0-client",
        email: u.username,
        "https://gatehouse.example/roles": u.roles,
      });
      break;
    case "keycloak":
      Object.assign(p, {
        sub: u.oid,
        sid: "kc-session",
        preferred_username: u.username,
        azp: "kc-client",
        realm_access: { roles: u.roles },
      });
      break;
  }
}

/** A client-credentials token: no user, as each provider issues it. */
function appClaims(p, app, roles, tid) {
  switch (provider) {
    case "entra":
      Object.assign(p, { sub: `sp-${app}`, oid: `sp-${app}`, tid, azp: app, appid: app, idtyp: "app", roles });
      break;
    case "okta":
      Object.assign(p, { sub: app, cid: app, scp: ["mcp"], groups: roles });
      break;
    case "auth0":
      Object.assign(p, {
        sub: `${app}@clients`,
        azp: app,
        gty: "client-credentials",
        "https://gatehouse.example/roles": roles,
      });
      break;
    case "keycloak":
      Object.assign(p, {
        sub: `sa-${app}`,
        azp: app,
        client_id: app,
        preferred_username: `service-account-${app}`,
        realm_access: { roles },
      });
      break;
  }
}

server.service.on("beforeTokenSigning", (token, req) => {
  const body = req.body ?? {};
  const p = token.payload;
  const isCode = body.grant_type === "authorization_code";
  const name = isCode ? codeUser.get(body.code) : body.username;
  const u = users[String(name ?? "")];
  const tid = body.tid ?? u?.tid ?? demo.tenantId;
  for (const k of ["sub", "scope"]) delete p[k];
  if (body.app) appClaims(p, body.app, body.roles ? body.roles.split(",") : [], tid);
  else if (u) userClaims(p, u, tid);
  p.iss = body.iss ?? tenantIssuer(server.issuer.url, tid);
  // An id_token's aud is the client id (OIDC core); access tokens get the API audience.
  if (isCode) p.nonce = codeNonce.get(body.code) ?? p.nonce;
  else p.aud = body.aud ? (body.aud.includes(",") ? body.aud.split(",") : body.aud) : audience;
  if (body.exp_offset !== undefined) {
    const now = Math.floor(Date.now() / 1000);
    p.exp = now + Number(body.exp_offset);
    p.iat = p.exp - 3600;
    p.nbf = p.iat;
  }
});

const handler = server.service.requestHandler;
const http = createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
    const base = server.issuer.url;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        issuer: shape.multiTenant ? `${base}/{tenantid}/v2.0` : base,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        response_types_supported: ["code"],
        id_token_signing_alg_values_supported: [shape.alg ?? "RS256"],
      }),
    );
    return;
  }
  handler(req, res);
});

await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
server.issuer.url = `http://127.0.0.1:${http.address().port}`;
process.stdout.write(`shaped issuer listening at ${server.issuer.url}\n`);
const stop = () => http.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
