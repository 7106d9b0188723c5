/**
 * The approver's page of issue 19 in Debian's Chromium (playwright-core, never a downloaded
 * browser) on the whole local stack: Azurite, the local issuer, the agent, the demo customers
 * server and the gateway. Covers the detail page and its deep link through sign-in, the requester's
 * reason and the rule in words, masked values labelled by type, relative times with the exact UTC
 * time, the requester's waiting state, keyboard-only approval with buttons that name the request,
 * a field error tied to its field and cleared when fixed, a lost session that keeps the typed
 * reason, a request decided elsewhere, the Auditor's read-only history, and a 390 px screen.
 * Screenshots of a failing step land in test-artifacts/ (gitignored). Needs `npm run build`.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchSystemChromium, type SystemChromium } from "./support/system-chromium";
import { repoRoot } from "../../runtime/core/repo-root";
import { announcedApprovalId, startGatewayStack, type GatewayStack } from "./support/gateway-stack";

jest.setTimeout(240_000);

const ARTIFACTS = path.join(repoRoot(), "test-artifacts", "approver-page");
let env: GatewayStack;
let browser: SystemChromium;
let page: Page;

beforeAll(async () => {
  // Never a downloaded browser: the system's Chromium (.ci/run installs it).
  [env, browser] = await Promise.all([startGatewayStack(), launchSystemChromium()]);
  page = browser.page;
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

/** Runs a step; on failure keeps a screenshot of the page as a test artefact, then fails. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page
      .screenshot({ path: path.join(ARTIFACTS, `${name.replace(/\W+/g, "-")}.png`), fullPage: true })
      .catch(() => undefined);
    throw e;
  }
}

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[] };
const hold = async (args: Record<string, unknown>, reason?: string) => {
  const alice = await env.connect(env.gatewayA, "alice", "customers");
  const call = alice.client.callTool(
    { name: "delete_customer", arguments: args, ...(reason ? { _meta: { "gatehouse/reason": reason } } : {}) },
    undefined,
    { timeout: 200_000, resetTimeoutOnProgress: true },
  ) as Promise<ToolResult>;
  call.catch(() => undefined);
  return { alice, call, id: await announcedApprovalId(alice.notices) };
};

const signInAs = async (name: RegExp) => {
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByRole("link", { name }).click(); // the local issuer's user picker
};

test("a deep link survives sign-in; the request shows why, what and when; keyboard-only approve with named buttons", async () => {
  const { alice, call, id } = await hold(
    { ids: ["c-1001"], note: "card 4111 1111 1111 1111" },
    "customer asked to be forgotten, ticket GDPR-7",
  );
  try {
    await step("deep-link", async () => {
      await browser.context.clearCookies();
      await page.goto(`${env.gatewayA}/approvals/${id}`);
      await signInAs(/Bob Approver/);
      await page.waitForURL(`${env.gatewayA}/approvals/${id}`);
    });
    const card = page.locator(`#approval-${id}`);
    await step("why-what-when", async () => {
      const text = (await card.textContent()) ?? "";
      expect(text).toContain("customer asked to be forgotten, ticket GDPR-7");
      expect(text).toMatch(/never the requester/); // the rule in words
      // A masked value is labelled with its type; the raw card number is nowhere.
      expect(await card.locator("table.args").textContent()).toMatch(/masked credit_card/);
      expect(await page.content()).not.toContain("4111 1111 1111 1111");
      const expires = card.locator("time", { hasText: /^expires in / });
      expect(await expires.getAttribute("title")).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
      expect(text).toMatch(/client is waiting/);
      if (process.env.GATEHOUSE_DOC_SCREENSHOTS)
        await page.screenshot({
          path: path.join(process.env.GATEHOUSE_DOC_SCREENSHOTS, "approval-detail.png"),
          fullPage: true,
        });
    });
    await step("keyboard-approve", async () => {
      const name = `Approve delete_customer on customers, requested by alice@gatehouse.local (${id.slice(0, 8)})`;
      expect(await page.getByRole("button", { name, exact: true }).count()).toBe(1);
      expect(await page.getByRole("button", { name: name.replace("Approve", "Reject"), exact: true }).count()).toBe(1);
      await card.getByLabel(/Reason for your decision/).focus();
      await page.keyboard.type("checked with the customer");
      await page.keyboard.press("Tab"); // to Approve
      expect(await page.evaluate("document.activeElement && document.activeElement.textContent")).toMatch(/^Approve/);
      await page.keyboard.press("Enter");
      await page.waitForURL(/notice=approved/);
    });
    const result = await call;
    expect(JSON.stringify(result.content)).toContain("c-1001");
    await step("decided-detail", async () => {
      await page.goto(`${env.gatewayA}/approvals/${id}`);
      expect(await page.locator(".decided").textContent()).toMatch(
        /Approved by bob@gatehouse\.local .*“checked with the customer”.*forwarded/s,
      );
    });
  } finally {
    await alice.close();
  }
});

test("a reject without a reason is an error on the reason field, cleared when fixed; a decision elsewhere says by whom", async () => {
  const { alice, call, id } = await hold({ ids: ["c-1002"] });
  try {
    await page.goto(`${env.gatewayA}/approvals/${id}`);
    const reason = page.getByLabel(/Reason for your decision/);
    await step("field-error", async () => {
      await page.getByRole("button", { name: /^Reject delete_customer/ }).click();
      await page.waitForLoadState();
      expect(await reason.getAttribute("aria-invalid")).toBe("true");
      const describedBy = (await reason.getAttribute("aria-describedby"))!;
      expect(await page.locator(`#${describedBy}`).textContent()).toMatch(/reason to reject/);
      await reason.fill("not during the freeze");
      expect(await page.locator(`#${describedBy}`).count()).toBe(0);
      expect(await reason.getAttribute("aria-invalid")).toBeNull();
    });
    await step("decided-elsewhere", async () => {
      // bob decides through the API while the page (with a typed reason) is open.
      expect(
        (await env.api(env.gatewayA, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "rejected from the CLI" }))
          .status,
      ).toBe(200);
      await page.getByRole("button", { name: /^Approve delete_customer/ }).click();
      await page.waitForLoadState();
      expect(await page.getByRole("alert").textContent()).toMatch(/not recorded: this request was decided elsewhere/);
      expect(await page.locator(".decided").textContent()).toMatch(
        /Rejected by bob@gatehouse\.local .*“rejected from the CLI”/s,
      );
    });
    await expect(call).rejects.toThrow(/rejected from the CLI/);
  } finally {
    await alice.close();
  }
});

test("a lost session says the decision was not recorded and keeps the reason through sign-in", async () => {
  const { alice, call, id } = await hold({ ids: ["c-1003"] });
  try {
    await page.goto(`${env.gatewayA}/approvals/${id}`);
    await step("lost-session", async () => {
      await page.getByLabel(/Reason for your decision/).fill("verified by phone, ticket 4431");
      await browser.context.clearCookies(); // the session ends while the approver types
      await page.getByRole("button", { name: /^Approve delete_customer/ }).click();
      await page.waitForLoadState();
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your decision was not recorded");
      expect(await page.getByLabel("Your reason (kept)").inputValue()).toBe("verified by phone, ticket 4431");
      expect((await env.api(env.gatewayA, "GET", `/api/approvals/${id}`, "bob")).json.status).toBe("pending");
    });
    await step("reason-kept-through-sign-in", async () => {
      await page.getByRole("link", { name: /Sign in again/ }).click();
      await page.getByRole("link", { name: /Bob Approver/ }).click();
      await page.waitForURL(`${env.gatewayA}/approvals/${id}`);
      expect(await page.getByLabel(/Reason for your decision/).inputValue()).toBe("verified by phone, ticket 4431");
      await page.getByRole("button", { name: /^Approve delete_customer/ }).click();
      await page.waitForURL(/notice=approved/);
    });
    expect((await call).isError).toBeFalsy();
  } finally {
    await alice.close();
  }
});

test("an Auditor reads the filtered history and a request, and cannot decide; times do not wrap at 390 px", async () => {
  const { alice, call, id } = await hold({ ids: ["c-1004"] });
  try {
    await step("auditor-history", async () => {
      await browser.context.clearCookies();
      await page.goto(`${env.gatewayA}/approvals/history?status=rejected`);
      await signInAs(/Carol Auditor/);
      await page.waitForURL(`${env.gatewayA}/approvals/history?status=rejected`);
      const table = await page.locator("table").textContent();
      expect(table).toContain("rejected from the CLI");
      expect(table).not.toMatch(/approved/);
      await page.getByLabel("Status").selectOption("all");
      await page.getByLabel("Tool").fill("delete_customer");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/tool=delete_customer/);
      expect(await page.locator("table tbody tr").count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator("table").textContent()).toMatch(/forwarded/);
      if (process.env.GATEHOUSE_DOC_SCREENSHOTS)
        await page.screenshot({
          path: path.join(process.env.GATEHOUSE_DOC_SCREENSHOTS, "approvals-history.png"),
          fullPage: true,
        });
    });
    await step("auditor-detail", async () => {
      await page.goto(`${env.gatewayA}/approvals/${id}`);
      expect(await page.getByText("Auditors read requests; they never decide them.").count()).toBe(1);
      expect(await page.getByRole("button", { name: /^Approve/ }).count()).toBe(0);
    });
    await step("mobile-390", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${env.gatewayA}/approvals/${id}`);
      const wrapped = await page
        .locator("time")
        .evaluateAll((els) => els.filter((e) => e.getClientRects().length > 1).length);
      expect(wrapped).toBe(0);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      if (process.env.GATEHOUSE_DOC_SCREENSHOTS)
        await page.screenshot({
          path: path.join(process.env.GATEHOUSE_DOC_SCREENSHOTS, "approval-detail-390.png"),
          fullPage: true,
        });
      await page.setViewportSize({ width: 1280, height: 900 });
    });
    expect(
      (await env.api(env.gatewayA, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "cleanup" })).status,
    ).toBe(200);
    await expect(call).rejects.toThrow(/cleanup/);
  } finally {
    await alice.close();
  }
});
