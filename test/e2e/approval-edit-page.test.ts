/**
 * Issue 20, item 1, end to end on the whole product in Debian's Chromium (playwright-core): alice's
 * MCP SDK client holds a delete_customer call on gateway A; bob, on replica B's approval page,
 * edits its `ids` argument with the page's "Edit arguments" form (no JavaScript needed, CSRF token
 * in the form), first into a call the policy forbids (refused at the form, nothing changed), then
 * into the one record the ticket names, and approves. The demo customers server deletes what it
 * received, and alice's result says the call ran with arguments bob edited.
 * Screenshots of a failing step land in test-artifacts/ (gitignored). Needs `npm run build`.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { repoRoot } from "../../runtime/core/repo-root";
import { launchSystemChromium, type SystemChromium } from "./support/system-chromium";
import { announcedApprovalId, startGatewayStack, type GatewayStack } from "./support/gateway-stack";

jest.setTimeout(180_000);

const ARTIFACTS = path.join(repoRoot(), "test-artifacts", "approval-edit-page");
let env: GatewayStack;
let browser: SystemChromium;
let page: Page;

beforeAll(async () => {
  [env, browser] = await Promise.all([startGatewayStack({ secondGateway: true }), launchSystemChromium()]);
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }).catch((shot: unknown) => {
      console.warn(`screenshot of failed step ${name} not taken: ${String(shot)}`);
    });
    throw e;
  }
}

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[]; _meta?: Record<string, unknown> };

test("bob edits a held call's argument on the page and approves; the upstream runs the edit and alice is told", async () => {
  const alice = await env.connect(env.gatewayA, "alice", "customers");
  try {
    // The gateway learns the tool's input schema from the tool list its clients read.
    await alice.client.listTools();
    const call = alice.client.callTool({ name: "delete_customer", arguments: { ids: ["c-1001"] } }, undefined, {
      timeout: 150_000,
      resetTimeoutOnProgress: true,
    }) as Promise<ToolResult>;
    call.catch(() => undefined);
    const id = await announcedApprovalId(alice.notices);

    await step("sign-in", async () => {
      await page.goto(`${env.gatewayB}/approvals/${id}`);
      await page.getByRole("link", { name: "Sign in" }).click();
      await page.getByRole("link", { name: /Bob Approver/ }).click();
      await page.waitForURL(`${env.gatewayB}/approvals/${id}`);
    });
    const form = page.locator("form.edit-form");
    await step("refused-edit", async () => {
      // The guardrail allows one record per call: an edit into two is refused and changes nothing.
      expect(await form.getByLabel("ids", { exact: true }).inputValue()).toBe('["c-1001"]');
      await form.getByLabel("ids", { exact: true }).fill('["c-1004","c-1005"]');
      await form.getByLabel(/Reason for the edit/).fill("both records of the ticket");
      await form.getByLabel(/cannot be undone/).check();
      await form.getByRole("button", { name: /Edit and approve/ }).click();
      await page.waitForURL(/edit_error=ERR_EDIT_DENIED/);
      expect(await page.locator("form.edit-form").getByRole("alert").textContent()).toContain(
        "policy does not allow the edited call",
      );
      const rec = await env.api(env.gatewayB!, "GET", `/api/approvals/${id}`, "bob");
      expect(rec.json).toMatchObject({ status: "pending", approvals: [], edit: null, arguments: { ids: ["c-1001"] } });
    });
    await step("edit-and-approve", async () => {
      await form.getByLabel("ids", { exact: true }).fill('["c-1005"]');
      await form.getByLabel(/Reason for the edit/).fill("the ticket names c-1005, not c-1001");
      await form.getByLabel(/cannot be undone/).check();
      await form.getByRole("button", { name: /Edit and approve/ }).click();
      await page.waitForURL(/edited=1/);
      expect(await page.getByRole("status").first().textContent()).toContain("edit and your approval");
      expect(await page.getByRole("heading", { name: "Edited by an approver" }).count()).toBe(1);
    });

    const result = await call;
    expect(result.isError).toBeFalsy();
    // What the customers server executed: it deleted the edited record, not the requested one.
    expect(JSON.parse(result.content[0].text!)).toEqual({ deleted: ["c-1005"], notFound: [] });
    expect(result.content[result.content.length - 1].text).toContain("edited by approver bob@gatehouse.local");
    expect(result._meta?.["gatehouse/edited"]).toMatchObject({
      by: "bob@gatehouse.local",
      reason: "the ticket names c-1005, not c-1001",
      originalHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      editedHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const still = (await alice.client.callTool({ name: "get_customer", arguments: { id: "c-1001" } })) as ToolResult;
    expect(still.isError).toBeFalsy();
  } finally {
    await alice.close();
  }
});

test("the edit form is CSRF protected: a post without the page's token changes nothing", async () => {
  const alice = await env.connect(env.gatewayA, "alice", "customers");
  try {
    await alice.client.listTools();
    const call = alice.client.callTool({ name: "delete_customer", arguments: { ids: ["c-1002"] } }, undefined, {
      timeout: 150_000,
      resetTimeoutOnProgress: true,
    });
    call.catch(() => undefined);
    const id = await announcedApprovalId(alice.notices);
    await page.goto(`${env.gatewayB}/approvals/${id}`);
    const landed = await page.evaluate(async (target) => {
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "arg.ids=%5B%22c-1003%22%5D&reason=forged&confirm=yes",
      });
      return res.url;
    }, `${env.gatewayB}/approvals/${id}/edit`);
    expect(landed).toContain("notice=ERR_FORBIDDEN");
    const rec = await env.api(env.gatewayB!, "GET", `/api/approvals/${id}`, "bob");
    expect(rec.json).toMatchObject({ status: "pending", edit: null, arguments: { ids: ["c-1002"] } });
    await env.api(env.gatewayB!, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "test over" });
    await call.catch(() => undefined);
  } finally {
    await alice.close();
  }
});
