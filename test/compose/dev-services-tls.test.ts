/**
 * The dev services as compose.yaml runs them, on 127.0.0.1 here (names: localhost):
 * - the local issuer with a TLS back channel: its discovery document over TLS names the TLS URL
 *   for what the gateway calls (token, JWKS) and the browser's URL for sign-in and as issuer;
 *   tokens from either listener carry the browser URL as `iss`; the http listener still passes
 *   the guard of `gatehouse token` (a loopback issuer naming itself);
 * - the customers server over TLS with an explicit host name: other Host names are refused.
 */
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../../runtime/core/repo-root";
import { ensureDevTls, type DevTls } from "../../dev/compose/dev-tls";
import { checkLocalIssuer } from "../../runtime/cli/local-issuer-guard";
import { launch, type LaunchedProcess } from "../../dev/process-launcher";
import { freePort } from "../../dev/stack/port-probe";

const root = repoRoot();
let dir: string;
let tls: DevTls;
const running: LaunchedProcess[] = [];

/** An https request trusting only the dev certificate (checked for localhost, whatever the Host header says). */
function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: opts.method ?? "GET",
        headers: opts.headers,
        ca: fs.readFileSync(tls.certFile),
        servername: "localhost",
      },
      (res) => {
        let text = "";
        res
          .setEncoding("utf8")
          .on("data", (c: string) => (text += c))
          .on("end", () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.once("error", reject);
    req.end(opts.body);
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-dev-tls-"));
  tls = ensureDevTls(path.join(dir, "tls"), ["localhost"]);
});

afterAll(async () => {
  for (const p of running.reverse()) await p.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the certificate is kept across runs, and its key is private", () => {
  const cert = fs.readFileSync(tls.certFile, "utf8");
  expect(ensureDevTls(path.join(dir, "tls"), ["localhost"])).toEqual(tls);
  expect(fs.readFileSync(tls.certFile, "utf8")).toBe(cert);
  expect(fs.statSync(tls.keyFile).mode & 0o077).toBe(0);
  expect(() => ensureDevTls(path.join(dir, "other"), ["not a name"])).toThrow(TypeError);
});

test("issuer: browser URL as issuer and sign-in, TLS URL for the gateway's back channel", async () => {
  const [port, tlsPort] = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${port}`;
  const internalUrl = `https://localhost:${tlsPort}`;
  const issuer = await launch({
    name: "issuer",
    command: process.execPath,
    args: [
      path.join(root, "dev", "local-issuer.mjs"),
      "--port",
      String(port),
      "--public-url",
      publicUrl,
      "--key-file",
      path.join(dir, "issuer-key.json"),
      "--tls-port",
      String(tlsPort),
      "--tls-cert",
      tls.certFile,
      "--tls-key",
      tls.keyFile,
      "--internal-url",
      internalUrl,
    ],
    ready: /local issuer listening at (\S+)/,
  });
  running.push(issuer);
  expect(issuer.match[1]).toBe(publicUrl);

  const doc = JSON.parse((await request(`${internalUrl}/.well-known/openid-configuration`)).text) as Record<
    string,
    string
  >;
  expect(doc).toMatchObject({
    issuer: publicUrl,
    authorization_endpoint: `${publicUrl}/authorize`,
    token_endpoint: `${internalUrl}/token`,
    jwks_uri: `${internalUrl}/jwks`,
  });

  const minted = await request(doc.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&username=alice",
  });
  const token = (JSON.parse(minted.text) as { access_token: string }).access_token;
  expect(JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString())).toMatchObject({
    iss: publicUrl,
    preferred_username: "alice@gatehouse.local",
  });

  // The http listener is unchanged: gatehouse token's guard accepts it as the local issuer.
  expect(await checkLocalIssuer(publicUrl)).toMatchObject({
    ok: true,
    issuer: publicUrl,
    tokenEndpoint: `${publicUrl}/token`,
  });
}, 60_000);

test("issuer: --tls-port without a certificate is a usage error", async () => {
  await expect(
    launch({
      name: "issuer",
      command: process.execPath,
      args: [path.join(root, "dev", "local-issuer.mjs"), "--tls-port", "0"],
      ready: /listening/,
    }),
  ).rejects.toThrow(/code 2/);
});

test("customers server over TLS accepts its own host name and loopback, refuses any other Host", async () => {
  const port = await freePort();
  const customers = await launch({
    name: "customers",
    command: process.execPath,
    args: [path.join(root, "dist", "dev", "customers-server.js")],
    env: {
      ...process.env,
      GATEHOUSE_DEMO_CUSTOMERS_PORT: String(port),
      GATEHOUSE_DEMO_CUSTOMERS_HOSTNAME: "customers",
      GATEHOUSE_DEMO_CUSTOMERS_TLS_CERT: tls.certFile,
      GATEHOUSE_DEMO_CUSTOMERS_TLS_KEY: tls.keyFile,
    },
    ready: /customers server listening at (\S+)/,
  });
  running.push(customers);
  expect(customers.match[1]).toBe(`https://127.0.0.1:${port}/mcp`);
  const initialize = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  const post = (host: string) =>
    request(`https://localhost:${port}/mcp`, {
      method: "POST",
      headers: { host, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: initialize,
    });
  expect((await post(`customers:${port}`)).status).toBe(200);
  expect((await post(`localhost:${port}`)).status).toBe(200);
  expect((await post(`evil.example:${port}`)).status).toBe(403);
}, 60_000);
