import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startAzurite, type AzuriteInstance } from "../../dev/azurite-launcher";
import { startLocalIssuer, DEMO, type LocalIssuer } from "../../dev/local-issuer-launcher";
import { launch, type LaunchedProcess } from "../../dev/process-launcher";
import { sealBundle } from "../../runtime/core/policy-model/bundle-version";
import { repoRoot } from "../../runtime/core/repo-root";
import { LocalSigner } from "../../runtime/core/signing/local-signer";
import { startEverything } from "../integration/gateway/gateway-harness";
import { startFixtureServer, type FixtureServer } from "./fixture-server";
import { runConformanceSuite, type SuiteResult } from "./run-suite";
import { startTokenForwarder, type TokenForwarder } from "./token-forwarder";

/**
 * The official conformance suite (active server scenarios of @modelcontextprotocol/conformance
 * 0.1.13) against our fixture server and server-everything, directly and through the real gateway
 * and agent processes (node dist/...). One suite run per target, all four in parallel.
 */
const dist = path.join(repoRoot(), "dist", "runtime");

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe("MCP conformance suite, directly and through gateway → agent", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-conf-"));
  let fixture: FixtureServer;
  let everything: { url: string; proc: LaunchedProcess };
  let issuer: LocalIssuer;
  let azurite: AzuriteInstance;
  let agent: LaunchedProcess;
  let gateway: LaunchedProcess;
  let forwarder: TokenForwarder;
  const results: Record<string, SuiteResult> = {};

  beforeAll(async () => {
    if (!fs.existsSync(path.join(dist, "gateway", "server.js")))
      throw new Error("build first: npm run build (the test runs node dist/runtime/...)");
    [fixture, everything, issuer, azurite] = await Promise.all([
      startFixtureServer(),
      startEverything(),
      startLocalIssuer(),
      startAzurite({ location: path.join(tmp, "azurite") }),
    ]);
    const bundle = sealBundle({
      schemaVersion: 1,
      servers: [
        { name: "conformance", transport: { type: "http", url: fixture.url } },
        { name: "everything", transport: { type: "http", url: everything.url } },
      ],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["conformance", "everything"],
          tools: { allow: ["*"] },
          resources: { allow: ["*"] },
          prompts: { allow: ["*"] },
        },
      ],
    });
    const bundleFile = path.join(tmp, "bundle.json");
    fs.writeFileSync(bundleFile, JSON.stringify(bundle));
    const keyFile = path.join(tmp, "signing-key.json");
    const signer = await LocalSigner.create(keyFile);
    let token = await issuer.token("alice");
    forwarder = await startTokenForwarder(() => token);
    const common = {
      ...process.env,
      GATEHOUSE_HOST: "127.0.0.1",
      GATEHOUSE_POLICY_FILE: bundleFile,
      GATEHOUSE_LOG_LEVEL: "warn",
    };
    agent = await launch({
      name: "agent",
      command: process.execPath,
      args: [path.join(dist, "agent", "server.js")],
      env: {
        ...common,
        GATEHOUSE_PORT: "0",
        GATEHOUSE_GATEWAY_PUBLIC_JWK: JSON.stringify(await signer.publicJwk()),
        GATEHOUSE_CREDENTIAL_PROVIDER: "dev-env",
      },
      ready: /gatehouse agent listening at (http:\/\/\S+)/,
    });
    const port = await freePort();
    const fwdHosts = [`127.0.0.1:${forwarder.port}`, `localhost:${forwarder.port}`];
    gateway = await launch({
      name: "gateway",
      command: process.execPath,
      args: [path.join(dist, "gateway", "server.js")],
      env: {
        ...common,
        GATEHOUSE_PORT: String(port),
        GATEHOUSE_IDENTITY_METADATA: `${issuer.url}/.well-known/openid-configuration`,
        GATEHOUSE_AUDIENCE: DEMO.audience,
        GATEHOUSE_TENANT_IDS: DEMO.tenantId,
        GATEHOUSE_AGENT_URL: agent.match[1],
        GATEHOUSE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        GATEHOUSE_SIGNING_KEY_FILE: keyFile,
        GATEHOUSE_CHAIN_ID: "gateway-conformance",
        // The suite reaches the gateway through the token forwarder, which keeps Host and Origin.
        GATEHOUSE_ALLOWED_HOSTS: [`127.0.0.1:${port}`, ...fwdHosts].join(","),
        GATEHOUSE_ALLOWED_ORIGINS: fwdHosts.map((h) => `http://${h}`).join(","),
      },
      ready: /gatehouse gateway listening at (http:\/\/\S+)/,
      timeoutMs: 45_000,
    });
    forwarder.target = gateway.match[1];
    token = await issuer.token("alice");
    const via = (server: string) => `http://127.0.0.1:${forwarder.port}/mcp/${server}`;
    const targets: Record<string, string> = {
      "fixture-direct": fixture.url,
      "fixture-gateway": via("conformance"),
      "everything-direct": everything.url,
      "everything-gateway": via("everything"),
    };
    await Promise.all(
      Object.entries(targets).map(
        async ([name, url]) => (results[name] = await runConformanceSuite(url, path.join(tmp, name))),
      ),
    );
  }, 200_000);

  afterAll(async () => {
    await Promise.all([
      gateway?.stop(),
      agent?.stop(),
      forwarder?.stop(),
      fixture?.stop(),
      everything?.proc.stop(),
      issuer?.stop(),
      azurite?.stop(),
    ]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("the gateway process mounts the evidence and approvals routers behind the same auth", async () => {
    const base = gateway.match[1];
    const q = `from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`;
    const asUser = async (user: string, route: string) =>
      (await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${await issuer.token(user)}` } })).status;
    expect(await asUser("carol", `/api/evidence/tool-calls?${q}`)).toBe(200);
    expect(await asUser("alice", `/api/evidence/tool-calls?${q}`)).toBe(403);
    expect((await fetch(`${base}/api/approvals`)).status).toBe(401);
    expect(await asUser("bob", "/api/approvals")).toBe(200);
  });

  const passed = (r: SuiteResult) => [...r.scenarios.values()].filter(Boolean).length;
  const failed = (r: SuiteResult) => Object.fromEntries(r.failures);

  test("every active scenario passes against our fixture server directly", () => {
    const r = results["fixture-direct"];
    expect(r.scenarios.size).toBe(30);
    expect(failed(r)).toEqual({});
    expect(passed(r)).toBe(30);
  });

  test("every active scenario passes through gateway → agent, DNS-rebinding protection enforced by the gateway", () => {
    const r = results["fixture-gateway"];
    expect(r.scenarios.size).toBe(30);
    expect(failed(r)).toEqual({});
    expect(r.scenarios.get("dns-rebinding-protection")).toBe(true);
  });

  test("server-everything gives the same per-scenario results through the gateway, except that the gateway adds DNS-rebinding protection", () => {
    const direct = results["everything-direct"];
    const gw = results["everything-gateway"];
    expect(direct.scenarios.size).toBe(30);
    const strip = (r: SuiteResult) =>
      Object.fromEntries([...r.scenarios].filter(([s]) => s !== "dns-rebinding-protection").sort());
    expect(strip(gw)).toEqual(strip(direct));
    expect(direct.scenarios.get("dns-rebinding-protection")).toBe(false);
    expect(gw.scenarios.get("dns-rebinding-protection")).toBe(true);
    process.stdout.write(
      `conformance: fixture direct ${passed(results["fixture-direct"])}/30, fixture via gateway ${passed(results["fixture-gateway"])}/30, ` +
        `everything direct ${passed(direct)}/30, everything via gateway ${passed(gw)}/30\n`,
    );
  });
});
