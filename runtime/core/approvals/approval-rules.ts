/**
 * The approval rules, as pure functions of a record, the approver's CURRENT identity (from the
 * token presented with the decision, never a cached one) and the time. Server-side and not
 * configurable: nobody approves their own request; only holders of the rule's roles or groups
 * approve; N distinct approvers; undecided past expiry means deny.
 */
import { fromIdentityProvider } from "../policy/principals";
import { GatehouseError } from "../errors";
import type { Identity } from "../identity";
import type { ApprovalRecord } from "./approval-record";

export function isPastExpiry(r: ApprovalRecord, now: Date): boolean {
  return r.status === "pending" && now.getTime() >= Date.parse(r.expiresAt);
}

/** Whether this identity holds one of the approver roles or groups the record names. */
export function holdsApproverPrincipal(r: Pick<ApprovalRecord, "approvers">, who: Identity): boolean {
  // A JIT session token never carries approval authority, and approvers are people, never apps.
  if (!fromIdentityProvider(who) || who.kind === "app") return false;
  if (r.approvers.roles.some((role) => who.roles.includes(role))) return true;
  // With group overage the groups are unknown, never "none": only roles can then qualify.
  if (who.groupsOverage) return false;
  return r.approvers.groups.some((g) => who.groups.includes(g));
}

/** Throws the stable error that forbids this decision, or returns when it is allowed. */
export function assertMayDecide(r: ApprovalRecord, who: Identity, now: Date): void {
  const ids = { approvalId: r.id };
  if (who.oid === r.requester.oid)
    throw new GatehouseError("ERR_SELF_APPROVAL", "nobody may approve or reject their own request", ids);
  if (!holdsApproverPrincipal(r, who)) {
    throw new GatehouseError("ERR_NOT_APPROVER", "you do not hold a role or group this approval rule requires", {
      ...ids,
      required: r.approvers,
    });
  }
  if (r.status === "expired" || isPastExpiry(r, now))
    throw new GatehouseError("ERR_APPROVAL_EXPIRED", "the approval request has expired", ids);
  if (r.status !== "pending")
    throw new GatehouseError("ERR_APPROVAL_CONFLICT", `the approval is already ${r.status}`, {
      ...ids,
      status: r.status,
    });
  if (r.approvals.some((a) => a.oid === who.oid)) {
    throw new GatehouseError(
      "ERR_APPROVAL_CONFLICT",
      "you have already approved this request; another approver is needed",
      ids,
    );
  }
}

export interface DecisionInput {
  readonly action: "approve" | "reject";
  readonly who: Identity;
  readonly reason: string | null;
  readonly now: Date;
  /** How long an approved record stays usable by the requester's retry, in seconds. */
  readonly usableForSeconds: number;
}

/** The record after this decision (assertMayDecide must have passed). */
export function applyDecision(r: ApprovalRecord, d: DecisionInput): ApprovalRecord {
  const entry = { oid: d.who.oid, username: d.who.username, at: d.now.toISOString(), reason: d.reason };
  if (d.action === "reject") {
    // A rejected call never runs: its sealed arguments (kept for an approver's edit) are dropped.
    return { ...r, status: "rejected", rejectedBy: entry, decidedAt: entry.at, sealedArgs: null };
  }
  const approvals = [...r.approvals, entry];
  if (approvals.length < r.count) return { ...r, approvals };
  return {
    ...r,
    approvals,
    status: "approved",
    decidedAt: entry.at,
    usableUntil: new Date(d.now.getTime() + d.usableForSeconds * 1000).toISOString(),
  };
}

/** Whether an approved record can still be used by the requester's call. */
export function isUsable(r: ApprovalRecord, now: Date): boolean {
  return (
    r.status === "approved" &&
    r.consumedAt === null &&
    r.usableUntil !== null &&
    now.getTime() < Date.parse(r.usableUntil)
  );
}
