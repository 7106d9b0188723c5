/**
 * The approval page in real Chromium (Debian's binary, driven by playwright-core; no browser is
 * ever downloaded): bob signs in through the local issuer (authorization code + PKCE), sees the
 * pending request with masked arguments, approves with a reason, and the held call completes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { DEMO } from "../../dev/local-issuer-launcher";
import type { ApprovalRule } from "../../policies/schema";
import type { Identity } from "../../runtime/core/identity";
import { startApprovalsStack, type ApprovalsStack } from "../integration/approvals/support/approvals-stack";

const chromiumPath = (): string => execSync("command -v chromium", { shell: "/bin/sh" }).toString().trim();

const alice: Identity = { oid: DEMO.users.alice.oid, tenantId: DEMO.tenantId, username: DEMO.users.alice.username, roles: ["Engineer"], groups: [], groupsOverage: false, via: "entra", jit: null };
const rule: ApprovalRule = { id: "delete-customer", description: "deleting a customer needs an approver", servers: ["customers"], tools: ["delete_customer"], when: [], approvers: { roles: ["Approver"], groups: [] }, count: 1, expiresAfterSeconds: 600 };

let stack: ApprovalsStack;
let context: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  stack = await startApprovalsStack();
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "gh-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
});
afterAll(async () => {
  await context?.close();
  await stack?.stop();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

function hold(args: unknown, maskedArgs: unknown, maxWaitMs = 30_000) {
  let resolvePending!: (id: string) => void;
  const pending = new Promise<string>((r) => (resolvePending = r));
  const outcome = stack.coordinator.requestAndWait({
    identity: alice, server: "customers", tool: "delete_customer", args, maskedArgs, rule, correlationId: randomUUID(),
    signal: new AbortController().signal, maxWaitMs, onPending: (p) => resolvePending(p.approvalId),
  });
  return { pending, outcome };
}

test("bob signs in with OIDC + PKCE, sees the masked request, approves with a reason, and the held call completes", async () => {
  const call = hold({ id: "cus-1001", email: "jane@example.com" }, { id: "cus-1001", email: "[EMAIL]" });
  const id = await call.pending;

  await page.goto(`${stack.url}/approvals`);
  await page.getByRole("link", { name: "Sign in" }).click();
  // the local issuer's user picker (no login_hint)
  await page.getByRole("link", { name: /Bob Approver/ }).click();
  await page.waitForURL(`${stack.url}/approvals`);
  await expect(page.getByRole("main").getByRole("heading", { name: "Approvals", level: 1 }).count()).resolves.toBe(1);

  const cookies = await context.cookies(stack.url);
  const session = cookies.find((c) => c.name === "gh_approver");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });

  const card = page.locator(`#approval-${id}`);
  await expect(card.textContent()).resolves.toContain("alice@gatehouse.local");
  const shown = (await card.locator("pre").textContent()) ?? "";
  expect(shown).toContain("[EMAIL]");
  expect(shown).not.toContain("jane@example.com");

  await card.getByLabel(/Reason for your decision/).fill("customer asked to be forgotten, ticket GDPR-7");
  await card.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL(/notice=approved/);
  await expect(page.getByRole("status").textContent()).resolves.toContain("approval was recorded");

  const result = await call.outcome;
  expect(result).toMatchObject({ outcome: "approved", approvalId: id, approvers: [{ oid: DEMO.users.bob.oid, username: DEMO.users.bob.username }] });
  const decided = (await stack.auditRecords()).find((r) => r.kind === "approval.decided" && r.decision.approvalId === id);
  expect(decided?.decision.reason).toBe("customer asked to be forgotten, ticket GDPR-7");
  expect(decided?.actor.oid).toBe(DEMO.users.bob.oid);
});

test("a form post without the CSRF token is refused and changes nothing", async () => {
  const call = hold({ id: "cus-csrf" }, { id: "cus-csrf" }, 4000);
  const id = await call.pending;
  await page.goto(`${stack.url}/approvals`);
  const landed = await page.evaluate(async (target) => {
    const res = await fetch(target, { method: "POST", body: new URLSearchParams({ action: "approve", reason: "forged" }), credentials: "same-origin" });
    return res.url;
  }, `${stack.url}/approvals/${id}/decide`);
  expect(landed).toContain("notice=ERR_FORBIDDEN");
  expect((await stack.api("GET", `/api/approvals/${id}`, "bob")).json.status).toBe("pending");
  await call.outcome;
});

test("the page updates when the request is decided elsewhere", async () => {
  const call = hold({ id: "cus-elsewhere" }, { id: "cus-elsewhere" });
  const id = await call.pending;
  await page.goto(`${stack.url}/approvals`);
  await page.locator(`#approval-${id}`).waitFor({ state: "visible" });
  expect((await stack.api("POST", `/api/approvals/${id}/reject`, "bob", { reason: "decided through the API" })).status).toBe(200);
  await page.locator(`#approval-${id}`).waitFor({ state: "detached", timeout: 15_000 });
  await expect(page.getByRole("region", { name: "Recently decided" }).textContent()).resolves.toContain(id);
  expect((await call.outcome).outcome).toBe("rejected");
});
