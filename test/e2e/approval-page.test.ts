/**
 * Approvals end to end on the whole product: two gateway processes sharing one Azurite (the local
 * stack's gateway A and a second replica B), the agent, the demo customers server, the local
 * issuer, and Debian's Chromium driven by playwright-core (never a downloaded browser).
 *
 * - bob signs in to the approval page (authorization code + PKCE through the local issuer's user
 *   picker), sees alice's held delete_customer call with masked arguments, approves with a
 *   reason, and the call completes in alice's MCP SDK client;
 * - a call held on replica A is approved through replica B's REST API and forwarded once;
 * - a forged form post (no CSRF token) is refused; the page updates when a request is decided
 *   elsewhere.
 * Runs the built processes: `npm run build` first (npm test does).
 */
import type { Page } from "playwright-core";
import { launchSystemChromium, type SystemChromium } from "./support/system-chromium";
import { DEMO } from "../../dev/local-issuer-launcher";
import { announcedApprovalId, startGatewayStack, type GatewayStack } from "./support/gateway-stack";

jest.setTimeout(180_000);

let env: GatewayStack;
let browser: SystemChromium;
let page: Page;

beforeAll(async () => {
  // Never a downloaded browser: the system's Chromium (.ci/run installs it).
  [env, browser] = await Promise.all([startGatewayStack({ secondGateway: true }), launchSystemChromium()]);
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[] };
const hold = async (gateway: string, ids: string[]) => {
  const alice = await env.connect(gateway, "alice", "customers");
  const call = alice.client.callTool({ name: "delete_customer", arguments: { ids } }, undefined, {
    timeout: 150_000,
    resetTimeoutOnProgress: true,
  }) as Promise<ToolResult>;
  call.catch(() => undefined);
  return { alice, call, id: await announcedApprovalId(alice.notices) };
};

test("bob approves on the page; alice's held MCP call completes in her SDK client", async () => {
  const { alice, call, id } = await hold(env.gatewayA, ["c-1001"]);
  try {
    // The page on replica B: any replica serves any approval.
    // A callback with a state this browser never started is refused.
    await page.goto(`${env.gatewayB}/approvals/callback?code=forged&state=forged`);
    expect(page.url()).toContain("signin=failed");
    expect(await page.getByRole("alert").textContent()).toContain("Sign-in failed");

    await page.goto(`${env.gatewayB}/approvals`);
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByRole("link", { name: /Bob Approver/ }).click(); // the local issuer's user picker
    await page.waitForURL(`${env.gatewayB}/approvals`);
    expect(await page.getByRole("heading", { name: "Approvals", level: 1 }).count()).toBe(1);

    const session = (await browser.context.cookies(env.gatewayB!)).find((c) => c.name === "gh_approver");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });

    const card = page.locator(`#approval-${id}`);
    expect(await card.textContent()).toContain("alice@gatehouse.local");
    expect(await card.locator("table.args").textContent()).toContain("c-1001");
    await card.getByLabel(/Reason for your decision/).fill("customer asked to be forgotten, ticket GDPR-7");
    await card.getByRole("button", { name: "Approve" }).click();
    await page.waitForURL(/notice=approved/);
    expect(await page.getByRole("status").textContent()).toContain("approval was recorded");

    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain("c-1001");
    const record = await env.api(env.gatewayA, "GET", `/api/approvals/${id}`, "bob");
    expect(record.json).toMatchObject({
      status: "approved",
      approvals: [{ oid: DEMO.users.bob.oid, reason: "customer asked to be forgotten, ticket GDPR-7" }],
    });
    expect(record.json.consumedAt).not.toBeNull();
  } finally {
    await alice.close();
  }
});

test("held on replica A, approved through replica B's REST API, forwarded once", async () => {
  const { alice, call, id } = await hold(env.gatewayA, ["c-1002"]);
  try {
    const seen = await env.api(env.gatewayB!, "GET", `/api/approvals/${id}`, "bob");
    expect(seen.json).toMatchObject({
      status: "pending",
      server: "customers",
      tool: "delete_customer",
      requester: { username: "alice@gatehouse.local" },
    });
    expect(
      (await env.api(env.gatewayB!, "POST", `/api/approvals/${id}/approve`, "alice", { reason: "mine" })).json.error
        .code,
    ).toBe("ERR_SELF_APPROVAL");
    expect(
      (await env.api(env.gatewayB!, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "ticket CHG-12" })).status,
    ).toBe(200);
    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain("c-1002");
    expect(
      (await env.api(env.gatewayB!, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "again" })).status,
    ).toBe(409);
  } finally {
    await alice.close();
  }
});

test("a forged form post is refused; the page updates when the request is decided elsewhere", async () => {
  const { alice, call, id } = await hold(env.gatewayA, ["c-1003"]);
  try {
    await page.goto(`${env.gatewayB}/approvals`);
    await page.locator(`#approval-${id}`).waitFor({ state: "visible" });
    const landed = await page.evaluate(async (target) => {
      const res = await fetch(target, {
        method: "POST",
        body: new URLSearchParams({ action: "approve", reason: "forged" }),
        credentials: "same-origin",
      });
      return res.url;
    }, `${env.gatewayB}/approvals/${id}/decide`);
    expect(landed).toContain("notice=ERR_FORBIDDEN");
    expect((await env.api(env.gatewayA, "GET", `/api/approvals/${id}`, "bob")).json.status).toBe("pending");

    expect(
      (await env.api(env.gatewayA, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "decided through the API" }))
        .status,
    ).toBe(200);
    await page.locator(`#approval-${id}`).waitFor({ state: "detached", timeout: 15_000 });
    expect(await page.getByRole("region", { name: "Recently decided" }).textContent()).toContain(id);
    await expect(call).rejects.toThrow(/decided through the API/);
  } finally {
    await alice.close();
  }
});

test("a JIT session reaches only its server on every replica, and its revocation reaches every replica within seconds", async () => {
  const granted = await env.api(env.gatewayA, "POST", "/api/sessions", "alice", {
    server: "files",
    minutes: 5,
    reason: "fix a typo in the runbook",
  });
  expect(granted.status).toBe(201);
  const token: string = granted.json.token;
  const mcp = (gateway: string, server: string) =>
    fetch(`${gateway}/mcp/${server}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "jit-e2e", version: "1" } },
      }),
    });
  expect((await mcp(env.gatewayB!, "files")).status).toBe(200);
  expect((await mcp(env.gatewayB!, "customers")).status).toBe(403);

  expect((await env.api(env.gatewayA, "DELETE", `/api/sessions/${granted.json.sessionId}`, "alice")).status).toBe(200);
  const deadline = Date.now() + 10_000;
  let status = 200;
  while (Date.now() < deadline && status !== 401) {
    status = (await mcp(env.gatewayB!, "files")).status;
    if (status !== 401) await new Promise((r) => setTimeout(r, 250));
  }
  expect(status).toBe(401);
});
