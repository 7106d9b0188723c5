#!/usr/bin/env node
// The local stack's OpenID Connect issuer: a real OIDC issuer (oauth2-mock-server) that signs
// Entra ID-shaped tokens for the demo users. Development and tests only; production uses Entra ID.
//
// Usage: node dev/local-issuer.mjs [--port 0] [--key-file <jwk.json>]
// Prints "local issuer listening at <url>" when ready.
//
// Who is signed in:
// - token endpoint (client_credentials or password grant): form field `username` (alice|bob|carol);
// - authorization-code flow: /authorize shows a user picker unless `login_hint` names a user.
// Test-only knobs on the token endpoint (this issuer never runs in production):
// `exp_offset` (seconds relative to now for exp), `omit_roles=true`, `groups_overage=true`, `aud`.
import { OAuth2Server } from "oauth2-mock-server";
import { createServer } from "node:http";
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const demo = JSON.parse(readFileSync(join(here, "demo-users.json"), "utf8"));

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const port = Number(arg("--port", "0"));
const keyFile = arg("--key-file");

const server = new OAuth2Server();
if (keyFile && existsSync(keyFile)) {
  await server.issuer.keys.add(JSON.parse(readFileSync(keyFile, "utf8")));
} else {
  const key = await server.issuer.keys.generate("RS256");
  if (keyFile) {
    mkdirSync(dirname(keyFile), { recursive: true });
    const priv = server.issuer.keys.toJSON(true).find((k) => k.kid === key.kid);
    writeFileSync(keyFile, JSON.stringify(priv), { mode: 0o600 });
  }
}

const codeToUser = new Map();

server.service.on("beforeAuthorizeRedirect", (redirect, req) => {
  const url = new URL(req.url, "http://localhost");
  const user = url.searchParams.get("login_hint");
  const code = redirect.url.searchParams.get("code");
  if (code && user) codeToUser.set(code, user);
});

server.service.on("beforeTokenSigning", (token, req) => {
  const body = req.body ?? {};
  const name = body.grant_type === "authorization_code" ? codeToUser.get(body.code) : body.username;
  const user = demo.users[String(name ?? "")];
  if (!user) return; // a token with no user claims: the gateway refuses it
  const p = token.payload;
  p.sub = user.oid;
  p.oid = user.oid;
  p.tid = demo.tenantId;
  p.ver = "2.0";
  p.azp = demo.clientId;
  p.preferred_username = user.username;
  p.name = user.name;
  // An id_token already carries aud = the client id (OIDC core); only access tokens get the API audience.
  if (!body.aud && p.aud === undefined) p.aud = demo.audience;
  if (body.omit_roles !== "true") p.roles = user.roles;
  if (body.groups_overage === "true") {
    p._claim_names = { groups: "src1" };
    p._claim_sources = { src1: { endpoint: "https://graph.microsoft.com/v1.0/users/" + user.oid + "/getMemberObjects" } };
  } else if (user.groups.length) {
    p.groups = user.groups;
  }
  if (body.exp_offset !== undefined) {
    const now = Math.floor(Date.now() / 1000);
    p.exp = now + Number(body.exp_offset);
    if (p.exp <= p.iat) { p.iat = p.exp - 3600; p.nbf = p.iat; }
  }
  if (body.grant_type === "authorization_code") p.nonce = codeNonce.get(body.code) ?? p.nonce;
});

// The authorization endpoint remembers the nonce so the id_token carries it (OIDC core 3.1.3.7).
const codeNonce = new Map();
server.service.on("beforeAuthorizeRedirect", (redirect, req) => {
  const url = new URL(req.url, "http://localhost");
  const code = redirect.url.searchParams.get("code");
  const nonce = url.searchParams.get("nonce");
  if (code && nonce) codeNonce.set(code, nonce);
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const handler = server.service.requestHandler;
const http = createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (req.method === "GET" && url.pathname === "/authorize" && !demo.users[url.searchParams.get("login_hint") ?? ""]) {
    const links = Object.entries(demo.users)
      .map(([id, u]) => {
        const next = new URL(url);
        next.searchParams.set("login_hint", id);
        return `<li><a href="${escape(next.pathname + next.search)}">Sign in as ${escape(u.name)} (${escape(u.roles.join(", "))})</a></li>`;
      })
      .join("");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><title>Local sign-in</title></head><body><main><h1>Local issuer: choose a demo user</h1><ul>${links}</ul></main></body></html>`);
    return;
  }
  handler(req, res);
});

await new Promise((resolve) => http.listen(port, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${http.address().port}`;
server.issuer.url = url;
process.stdout.write(`local issuer listening at ${url}\n`);

const stop = () => http.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
