/**
 * Approval and grant events reach the trail with the tool name and the decider's reason masked
 * like every other name (issue 12, item 6): a card number chosen by the caller in a tool name, or
 * typed by an approver in a reason, is never persisted as written.
 */
import { randomUUID } from "node:crypto";
import { auditApproval } from "../../../runtime/core/approvals/approval-audit";
import type { ApprovalRecord } from "../../../runtime/core/approvals/approval-record";
import type { AuditSink } from "../../../runtime/core/audit/audit-sink";
import type { AuditEventInput, AuditRecord } from "../../../runtime/core/audit/record-schema";

const CARD = "4111111111111111";

test("the event's tool name and reason are masked; the stored record keeps the name it is matched on", async () => {
  const written: AuditEventInput[] = [];
  const sink: AuditSink = {
    write: async (e) => {
      written.push(e);
      return {} as AuditRecord;
    },
    close: async () => undefined,
  };
  const now = new Date().toISOString();
  const record: ApprovalRecord = {
    id: randomUUID(),
    kind: "tool-call",
    status: "rejected",
    requester: { oid: "a11ce", username: "alice", tenantId: "t" },
    server: "customers",
    tool: `refund-${CARD}`,
    argsHash: "0".repeat(64),
    maskedArgs: {},
    ruleId: "refunds",
    ruleDescription: "",
    approvers: { roles: ["Approver"], groups: [] },
    count: 1,
    approvals: [],
    rejectedBy: { oid: "b0b", username: "bob", at: now, reason: "no" },
    correlationId: null,
    createdAt: now,
    expiresAt: now,
    decidedAt: now,
    usableUntil: null,
    consumedAt: null,
    consumedBy: null,
  } as ApprovalRecord;

  await auditApproval({ sink }, "approval.decided", record, {
    actor: { oid: "b0b", tenantId: "t", username: "bob", via: "entra" },
    outcome: "approval_rejected",
    reason: `card ${CARD} is not ours`,
  });

  const [event] = written;
  if (!event) throw new Error("no event written");
  const text = JSON.stringify(event.action) + JSON.stringify(event.decision);
  expect(text).not.toContain(CARD);
  expect(event.action?.name).toMatch(/^refund-\[REDACTED:credit_card\]$/);
  expect(event.decision.reason).toContain("[REDACTED:credit_card]");
  expect(record.tool).toBe(`refund-${CARD}`);
});
