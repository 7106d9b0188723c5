import type { ApprovalRecord } from "../../../runtime/core/approvals/approval-record";

/** The clock the approval unit tests start from. */
export const t0 = new Date("2026-01-01T10:00:00.000Z");

/** A pending tool-call approval created at t0 (expiring 10 minutes later), with fields to override. */
export const heldRecord = (over: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  id: "6f1c8a55-1f0e-4a43-9f4e-1d2b3c4d5e6f",
  kind: "tool-call",
  status: "pending",
  requester: { oid: "alice", tenantId: "t", username: "alice@x" },
  server: "customers",
  tool: "delete_customer",
  argsHash: "a".repeat(64),
  maskedArgs: {},
  ruleId: "delete-customer",
  ruleDescription: "",
  approvers: { roles: ["Approver"], groups: ["g-approvers"] },
  count: 1,
  approvals: [],
  rejectedBy: null,
  correlationId: null,
  createdAt: t0.toISOString(),
  expiresAt: new Date(t0.getTime() + 600_000).toISOString(),
  decidedAt: null,
  usableUntil: null,
  consumedAt: null,
  consumedBy: null,
  ...over,
});
