#!/usr/bin/env node
// The local stack's OpenID Connect issuer: a real OIDC issuer (oauth2-mock-server) that signs
// Entra ID-shaped tokens for the demo users. Development and tests only; production uses Entra ID.
//
// Usage: node dev/local-issuer.mjs [--port 0] [--key-file <jwk.json>] [--host 127.0.0.1]
//          [--public-url <url>] [--tls-port <p> --tls-cert <pem> --tls-key <pem> --internal-url <url>]
// Prints "local issuer listening at <url>" when ready.
//
// In a container (compose.yaml) the issuer has two audiences that cannot share one URL: the
// browser on the host (approval page sign-in, the published port, --public-url, which is also the
// `iss` of every token) and the gateway in its own container, which accepts plain http only on
// loopback. So the back channel (token, JWKS) is also served over TLS on --tls-port, and the
// discovery document served there names --internal-url for it while the authorization endpoint
// stays on the browser's URL.
//
// Who is signed in:
// - token endpoint (client_credentials or password grant): form field `username` (alice|bob|carol);
// - authorization-code flow: /authorize shows a user picker unless `login_hint` names a user.
// Test-only knobs on the token endpoint (this issuer never runs in production):
// `exp_offset` (seconds relative to now for exp), `omit_roles=true`, `groups_overage=true`, `aud`.
import { OAuth2Server } from "oauth2-mock-server";
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
// The demo users are shared with `gatehouse token` (runtime/cli/demo-users.json): one list.
const demo = JSON.parse(readFileSync(join(here, "../runtime/cli/demo-users.json"), "utf8"));

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const port = Number(arg("--port", "0"));
const keyFile = arg("--key-file");
const host = arg("--host", "127.0.0.1");
const publicUrl = arg("--public-url")?.replace(/\/+$/, "");
const tls =
  arg("--tls-port") === undefined
    ? null
    : {
        port: Number(arg("--tls-port")),
        cert: arg("--tls-cert"),
        key: arg("--tls-key"),
        url: arg("--internal-url")?.replace(/\/+$/, ""),
      };
if (tls && !(tls.cert && tls.key && tls.url)) {
  process.stderr.write("local issuer: --tls-port needs --tls-cert, --tls-key and --internal-url\n");
  process.exit(2);
}

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
    p._claim_sources = {
      src1: { endpoint: "https://graph.microsoft.com/v1.0/users/" + user.oid + "/getMemberObjects" },
    };
  } else if (user.groups.length) {
    p.groups = user.groups;
  }
  if (body.exp_offset !== undefined) {
    const now = Math.floor(Date.now() / 1000);
    p.exp = now + Number(body.exp_offset);
    if (p.exp <= p.iat) {
      p.iat = p.exp - 3600;
      p.nbf = p.iat;
    }
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
    res.end(
      `<!doctype html><html lang="en"><head><title>Local sign-in</title></head><body><main><h1>Local issuer: choose a demo user</h1><ul>${links}</ul></main></body></html>`,
    );
    return;
  }
  handler(req, res);
});

await new Promise((resolve) => http.listen(port, host, resolve));
const url = publicUrl ?? `http://127.0.0.1:${http.address().port}`;
server.issuer.url = url;

// Endpoints the gateway calls itself (never the browser): served from the TLS listener's URL there.
const BACK_CHANNEL = [
  "token_endpoint",
  "jwks_uri",
  "userinfo_endpoint",
  "revocation_endpoint",
  "introspection_endpoint",
];
let backChannel = null;
if (tls) {
  // The discovery document is the issuer's own (read from its http listener), with the back
  // channel moved to the TLS URL.
  const own = `http://127.0.0.1:${http.address().port}/.well-known/openid-configuration`;
  backChannel = createTlsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, (req, res) => {
    if (req.method !== "GET" || new URL(req.url, "http://localhost").pathname !== "/.well-known/openid-configuration")
      return handler(req, res);
    fetch(own)
      .then(async (r) => {
        const doc = await r.json();
        for (const k of BACK_CHANNEL)
          if (typeof doc[k] === "string" && doc[k].startsWith(url)) doc[k] = tls.url + doc[k].slice(url.length);
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(doc));
      })
      .catch((e) => {
        process.stderr.write(`local issuer: discovery document unavailable: ${e.message}\n`);
        res.writeHead(503).end();
      });
  });
  await new Promise((resolve) => backChannel.listen(tls.port, host, resolve));
  process.stdout.write(`local issuer back channel listening at ${tls.url} (TLS)\n`);
}
process.stdout.write(`local issuer listening at ${url}\n`);

const stop = () => {
  backChannel?.close();
  http.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
