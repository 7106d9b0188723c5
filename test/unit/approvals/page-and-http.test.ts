import { approvalsPage, esc, signInPage } from "../../../runtime/gateway/approvals/page-html";
import { isLoopbackHttp } from "../../../runtime/gateway/approvals/cookies";
import { errorStatus } from "../../../runtime/core/error-status";
import { toGatehouseError } from "../../../runtime/http/send-rejection";
import { GatehouseError } from "../../../runtime/core/errors";
import { notifiersFromEnv } from "../../../runtime/core/approvals/notifications/notifiers-from-env";
import { signWebhookBody } from "../../../runtime/core/approvals/notifications/webhook-notifier";
import { createHmac } from "node:crypto";
import type { ApprovalRecord } from "../../../runtime/core/approvals/approval-record";

/** The REST column of the one error mapping (core/error-status.ts). */
const statusOf = (e: GatehouseError) => errorStatus(e.code).rest;

const rec: ApprovalRecord = {
  id: "6f1c8a55-1f0e-4a43-9f4e-1d2b3c4d5e6f",
  kind: "tool-call",
  status: "pending",
  requester: { oid: "alice", tenantId: "t", username: "<script>alert(1)</script>" },
  server: "customers",
  tool: "delete_customer",
  argsHash: "a".repeat(64),
  maskedArgs: { note: "</pre><img src=x onerror=alert(1)>" },
  ruleId: "delete-customer",
  ruleDescription: "",
  approvers: { roles: ["Approver"], groups: [] },
  count: 1,
  approvals: [],
  rejectedBy: null,
  correlationId: null,
  createdAt: "2026-01-01T10:00:00.000Z",
  expiresAt: "2026-01-01T11:00:00.000Z",
  decidedAt: null,
  usableUntil: null,
  consumedAt: null,
  consumedBy: null,
};

describe("approval page HTML", () => {
  const html = approvalsPage({
    nonce: "n0nce",
    user: { oid: "bob", username: "bob@x", csrf: "tok" },
    pending: [{ record: rec, canDecide: true, why: null }],
    recent: [],
    version: "v1",
    notice: null,
  });
  test("escapes every value that comes from a request", () => {
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<img src=x");
    expect(esc(`"'<>&`)).toBe("&#34;&#39;&#60;&#62;&#38;");
  });
  test("has landmarks, labelled fields, the CSRF token and a nonce'd script only", () => {
    expect(html).toMatch(/<main id="main">/);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain(`<label for="reason-${rec.id}">`);
    expect(html).toContain(`id="reason-${rec.id}"`);
    expect(html).toContain('name="csrf" value="tok"');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script nonce="n0nce">');
    expect(signInPage("n", null)).toContain('href="/approvals/login"');
  });
});

describe("cookies, statuses, configuration", () => {
  test("Secure is dropped only for plain http on loopback", () => {
    expect(isLoopbackHttp("http://127.0.0.1:8080")).toBe(true);
    expect(isLoopbackHttp("http://localhost:8080")).toBe(true);
    expect(isLoopbackHttp("https://127.0.0.1:8443")).toBe(false);
    expect(isLoopbackHttp("http://gatehouse.example.com")).toBe(false);
  });
  test("error codes map to statuses in one place", () => {
    expect(statusOf(new GatehouseError("ERR_SELF_APPROVAL", "x"))).toBe(403);
    expect(statusOf(new GatehouseError("ERR_APPROVAL_CONFLICT", "x"))).toBe(409);
    expect(statusOf(new GatehouseError("ERR_APPROVAL_EXPIRED", "x"))).toBe(410);
    expect(statusOf(new GatehouseError("ERR_AUDIT_UNAVAILABLE", "x"))).toBe(503);
    // Evidence from a broken chain: one status wherever the API refuses it (it was 500 in one router, 409 in another).
    expect(statusOf(new GatehouseError("ERR_AUDIT_CHAIN_BROKEN", "x"))).toBe(409);
    expect(statusOf(new GatehouseError("ERR_APPROVAL_TOO_LARGE", "x"))).toBe(422);
    expect(toGatehouseError(new Error("boom")).code).toBe("ERR_INTERNAL");
  });
  test("the webhook signature is HMAC-SHA256 over timestamp.body", () => {
    expect(signWebhookBody("k".repeat(16), "1700000000", "{}")).toBe(
      "sha256=" + createHmac("sha256", "k".repeat(16)).update("1700000000.{}").digest("hex"),
    );
  });
  test("a webhook URL without a secret is a configuration error naming the variable", () => {
    let err: GatehouseError | null = null;
    try {
      notifiersFromEnv({ GATEHOUSE_APPROVAL_WEBHOOK_URL: "https://hooks.example.com/x" });
    } catch (e) {
      err = e as GatehouseError;
    }
    expect(err?.code).toBe("ERR_CONFIG_INVALID");
    expect(err?.details.variable).toBe("GATEHOUSE_APPROVAL_WEBHOOK_SECRET");
  });
});
