/**
 * The jit-grants and approvals reports over records written by the real sessions API and
 * ApprovalCoordinator (test/integration/approvals support stack): an on-request grant revoked by
 * its holder, an approval-gated grant approved by another user after a pending first request, and
 * a refused request. A healthy flow has no exceptions.
 */
import { approvalsReport } from "../../../runtime/core/evidence/approvals-report";
import { jitGrantsReport } from "../../../runtime/core/evidence/jit-grants-report";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { startApprovalsStack, TEST_BUNDLE, type ApprovalsStack } from "../approvals/support/approvals-stack";

let stack: ApprovalsStack;
const from = new Date(Date.now() - 60_000).toISOString();

beforeAll(async () => {
  stack = await startApprovalsStack();
}, 60_000);
afterAll(() => stack?.stop());

test("JIT grants as the sessions API records them: rows, approvers, revocation, no exceptions", async () => {
  const onRequest = await stack.api("POST", "/api/sessions", "alice", {
    server: "customers",
    minutes: 10,
    reason: "INC-1",
  });
  expect(onRequest.status).toBe(201);
  expect((await stack.api("DELETE", `/api/sessions/${onRequest.json.sessionId}`, "alice")).status).toBe(200);
  const first = await stack.api("POST", "/api/sessions", "alice", {
    server: "files",
    minutes: 10,
    reason: "restore a file",
  });
  expect(first.status).toBe(202);
  expect(
    (await stack.api("POST", `/api/approvals/${first.json.approvalId}/approve`, "bob", { reason: "ok for 10 minutes" }))
      .status,
  ).toBe(200);
  const second = await stack.api("POST", "/api/sessions", "alice", {
    server: "files",
    minutes: 10,
    reason: "restore a file",
  });
  expect(second.status).toBe(201);
  expect(
    (await stack.api("POST", "/api/sessions", "carol", { server: "customers", minutes: 5, reason: "curious" })).status,
  ).toBe(403);

  const records = await stack.auditRecords();
  const chains = new Map<string, AuditRecord[]>();
  for (const r of records) chains.set(r.chainId, [...(chains.get(r.chainId) ?? []), r]);
  const input = { chains, bundles: [TEST_BUNDLE], period: { from, to: new Date(Date.now() + 60_000).toISOString() } };

  const jit = jitGrantsReport(input);
  expect(
    jit.rows.map((r) => [
      r.grantId !== null,
      r.requesterUsername,
      r.server,
      r.ruleId,
      r.reason,
      r.state,
      r.minutes,
      r.approvers,
      r.revokedBy,
    ]),
  ).toEqual([
    [true, "alice@gatehouse.local", "customers", "customers-jit", "INC-1", "revoked", 10, "", "alice@gatehouse.local"],
    [true, "alice@gatehouse.local", "files", "files-jit", "restore a file", "granted", 10, "bob@gatehouse.local", null],
    [false, "carol@gatehouse.local", "customers", null, null, "denied", null, "", null],
  ]);
  expect(jit.rows[1].requestedAt).not.toBeNull();
  expect(jit.rows[2].deniedReason).toMatch(/no just-in-time rule/);
  expect(jit.rows[1].approvalId).toBe(first.json.approvalId);
  expect(jit.exceptions).toEqual([]);

  const approvals = approvalsReport(input);
  expect(approvals.rows.map((r) => [r.approvalId, r.state, r.requesterUsername, r.approvers, r.consumedCount])).toEqual(
    [[first.json.approvalId, "approved", "alice@gatehouse.local", "bob@gatehouse.local", 1]],
  );
  expect(approvals.exceptions).toEqual([]);
});
