/**
 * compose.yaml end to end, under a real container engine. Opt-in: it runs only with
 * GATEHOUSE_COMPOSE_E2E=1 where Docker Compose v2 (with a running engine) or podman-compose (with
 * podman) is found, and says why it skipped otherwise (CI has no engine; `npm test` never builds
 * an image). Where no registry is reachable, build the Azurite stand-in first:
 * test/compose/support/azurite-standin.sh (docs/compose.md, "Verified").
 *
 * It builds both images, `compose up -d` on free loopback ports, then checks the topology from the
 * host (only the gateway and the issuer's sign-in port are published, on 127.0.0.1 only) and runs
 * the README's walkthrough through the published ports with the MCP SDK client: alice lists the
 * customers tools, reads masked records, a delete is held until bob signs in on the approval page
 * in Chromium (through the issuer's published port) and approves it, and `gatehouse audit verify` passes in the issuer's container;
 * `compose down -v` removes everything, volumes included.
 */
import { spawnSync } from "node:child_process";
import net from "node:net";
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { repoRoot } from "../../runtime/core/repo-root";
import { fetchToken } from "../../dev/local-issuer-launcher";
import { freePort } from "../../dev/stack/port-probe";
import { callToolWaiting, connectThroughGateway, resultText } from "../../dev/walkthrough/gateway-client";
import { launchSystemChromium } from "../e2e/support/system-chromium";
import { findComposeCli, publishedPorts, runCompose, unhealthyServices, type ComposeCli } from "./support/compose-cli";

const root = repoRoot();
const found = findComposeCli();
const suite = "skip" in found ? describe.skip : describe;
const title =
  "skip" in found
    ? `compose.yaml end to end — SKIPPED: ${found.skip}`
    : `compose.yaml end to end with ${found.compose.join(" ")}`;
// A whole skipped suite prints no test names: say it here, so the skip is never silent.
if ("skip" in found) console.warn(`test/compose/compose-up.test.ts: ${title}`);

/** Whether a TCP connection to host:port is accepted (within 5 s). */
const accepts = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 5000 });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("timeout", () => (s.destroy(), resolve(false)));
    s.once("error", () => resolve(false));
  });

/** This host's non-loopback IPv4 addresses (what another machine would connect to). */
const externalAddresses = (): string[] =>
  Object.values(os.networkInterfaces())
    .flatMap((l) => l ?? [])
    .filter((a) => a.family === "IPv4" && !a.internal)
    .map((a) => a.address);

suite(title, () => {
  const cli = found as ComposeCli;
  const project = `gatehouse-e2e-${randomBytes(3).toString("hex")}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  let gatewayPort = 0;
  let issuerPort = 0;
  let gatewayUrl = "";
  let issuerUrl = "";
  const run = (args: string[], timeoutMs: number, global?: string[]) =>
    runCompose(cli, project, args, { cwd: root, env, timeoutMs, global });

  beforeAll(async () => {
    gatewayPort = await freePort();
    issuerPort = await freePort();
    env.GATEHOUSE_PORT = String(gatewayPort);
    env.GATEHOUSE_COMPOSE_ISSUER_PORT = String(issuerPort);
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    issuerUrl = `http://127.0.0.1:${issuerPort}`;
    const build = run(["build"], 40 * 60_000, [...cli.buildArgs]);
    if (build.status !== 0) throw new Error(`compose build failed (${build.status}):\n${build.stderr.slice(-4000)}`);
    const up = run(["up", "-d"], 10 * 60_000);
    if (up.status !== 0)
      throw new Error(
        `compose up failed (${up.status}); without a registry, run test/compose/support/azurite-standin.sh first:\n${up.stderr.slice(-4000)}`,
      );
    // Ready when every running service's health check passes (the gateway's is /readyz): with
    // podman-compose 1.0.x the gateway can be ready while the customers server still restarts.
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const waiting = unhealthyServices(cli, project);
      if (waiting.length === 0) break;
      if (Date.now() > deadline)
        throw new Error(`not healthy in 10 minutes: ${waiting.join(", ")}\n${run(["logs"], 60_000).stdout}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect((await fetch(`${gatewayUrl}/readyz`)).status).toBe(200);
  }, 55 * 60_000);

  afterAll(() => {
    const down = run(["down", "-v"], 5 * 60_000);
    if (down.status !== 0) console.warn(`compose down -v failed (${down.status}): ${down.stderr.slice(-2000)}`);
    // podman-compose 1.0.x leaves the project's network behind (docker compose removes it).
    if (cli.engine === "podman") spawnSync("podman", ["network", "rm", `${project}_default`], { stdio: "ignore" });
  }, 6 * 60_000);

  const api = async (method: string, path: string, user: string, body?: unknown) => {
    const res = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await fetchToken(issuerUrl, user)}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  test("topology from the host: only the gateway and the issuer's sign-in port are published, on 127.0.0.1", async () => {
    expect(publishedPorts(cli, project)).toEqual({
      setup: [],
      azurite: [],
      customers: [],
      agent: [],
      issuer: [`127.0.0.1:${issuerPort}->${issuerPort}/tcp`],
      gateway: [`127.0.0.1:${gatewayPort}->${gatewayPort}/tcp`],
    });
    expect(await accepts("127.0.0.1", gatewayPort)).toBe(true);
    // Published on loopback only: not on this host's other addresses.
    for (const address of externalAddresses()) {
      expect([address, await accepts(address, gatewayPort)]).toEqual([address, false]);
      expect([address, await accepts(address, issuerPort)]).toEqual([address, false]);
    }
  });

  test(
    "the walkthrough through the published ports: tools, masked read, held delete approved by bob in the browser, audit verify",
    async () => {
      const c = await connectThroughGateway({
        gatewayUrl,
        server: "customers",
        token: await fetchToken(issuerUrl, "alice"),
      });
      try {
        const { tools } = await c.client.listTools();
        expect(tools.map((t) => t.name).sort()).toEqual(["delete_customer", "get_customer", "list_customers"]);

        const list = resultText((await c.client.callTool({ name: "list_customers", arguments: {} })) as CallToolResult);
        expect(list).toContain("[REDACTED:credit_card]");
        expect(list).not.toMatch(/\b4\d{3}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b/);

        const held = callToolWaiting(c, "delete_customer", { ids: ["c-1003"] }, 5);
        let id: string | undefined;
        const deadline = Date.now() + 60_000;
        while (!id && Date.now() < deadline) {
          const pending = await api("GET", "/api/approvals?status=pending", "bob");
          id = (pending.json.approvals as { id: string }[] | undefined)?.[0]?.id;
          if (!id) await new Promise((r) => setTimeout(r, 500));
        }
        expect(id).toBeDefined();
        // Bob approves in the browser: the sign-in goes to the issuer's published port and back.
        const browser = await launchSystemChromium();
        try {
          const { page } = browser;
          await page.goto(`${gatewayUrl}/approvals/${id}`);
          await page.getByRole("link", { name: "Sign in" }).click();
          await page.waitForURL(`${issuerUrl}/**`);
          await page.getByRole("link", { name: /Bob Approver/ }).click();
          await page.waitForURL(`${gatewayUrl}/approvals/${id}`);
          await page.getByLabel(/Reason for your decision/).fill("compose e2e");
          await page.getByLabel(/I understand this call cannot be undone/).check();
          await page.getByRole("button", { name: /^Approve delete_customer/ }).click();
          await page.waitForURL(/notice=approved/);
        } finally {
          await browser.close();
        }
        expect(resultText(await held)).toContain("c-1003");
        expect((await api("GET", `/api/approvals/${id}`, "bob")).json).toMatchObject({ status: "approved" });
      } finally {
        await c.close();
      }

      const verify = run(["exec", "-T", "issuer", "gatehouse", "audit", "verify"], 5 * 60_000);
      expect([verify.status, verify.stderr]).toEqual([0, expect.any(String)]);
    },
    15 * 60_000,
  );
});
