import { consumeApproval, expireApproval } from "../../../runtime/core/approvals/approval-decisions";
import type { ApprovalRecord } from "../../../runtime/core/approvals/approval-record";
import type { ApprovalStore, StoredApproval } from "../../../runtime/core/approvals/approval-store";
import type { AuditSink } from "../../../runtime/core/audit/audit-sink";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { heldRecord, t0 } from "./held-record";

/**
 * Sealed arguments (kept encrypted so an approver on any replica can edit a held call) stay at rest
 * only while the call may still run: an expired record and a used one are stored without them.
 * (Rejection and a whole run through the gateway: test/integration/approvals-edit.)
 */
const held: ApprovalRecord = heldRecord({ sealedArgs: "ga1.sealed-arguments" });

function deps(now: Date) {
  const stored: ApprovalRecord[] = [];
  const store = {
    update: async (r: ApprovalRecord): Promise<StoredApproval> => (
      stored.push(r),
      { record: r, etag: `e${stored.length}` }
    ),
  } as unknown as ApprovalStore;
  const sink: AuditSink = { write: async () => ({}) as AuditRecord, close: async () => undefined };
  return { stored, deps: { store, audit: { sink }, now: () => now } };
}

test("an expired record is stored without its sealed arguments", async () => {
  const { stored, deps: d } = deps(new Date(t0.getTime() + 601_000));
  const expired = await expireApproval(d, { record: held, etag: "e0" });
  expect(expired).toMatchObject({ status: "expired", sealedArgs: null });
  expect(stored).toEqual([expect.objectContaining({ status: "expired", sealedArgs: null })]);
});

test("a used record is stored without them; the replica that runs the call still gets them", async () => {
  const approved: ApprovalRecord = {
    ...held,
    status: "approved",
    decidedAt: t0.toISOString(),
    usableUntil: new Date(t0.getTime() + 600_000).toISOString(),
  };
  const { stored, deps: d } = deps(new Date(t0.getTime() + 1_000));
  const used = await consumeApproval(d, { record: approved, etag: "e0" }, "corr-1");
  expect(used).toMatchObject({ consumedBy: "corr-1", sealedArgs: "ga1.sealed-arguments" });
  expect(stored).toEqual([expect.objectContaining({ consumedBy: "corr-1", sealedArgs: null })]);
});
