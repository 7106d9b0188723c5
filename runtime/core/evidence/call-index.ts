/**
 * Groups audit records into tool calls and approvals, the units the tool-calls and approvals
 * reports are about. One call is every mcp.request/mcp.response record of a `tools/call` sharing a
 * correlation id; one approval is every approval.* record sharing `decision.approvalId`.
 *
 * A call *executed* (was forwarded upstream) when one of its request records says `allowed` or
 * `approval_approved`, or when an approval was consumed for it: the gateway writes that record,
 * durably, before forwarding, so its time is the execution time. An approval.consumed record
 * names the consuming call in details.consumedBy (else its correlationId).
 */
import type { AuditRecord } from "../audit/record-schema";
import { approvalDetails } from "./details-fields";

export interface ToolCall {
  readonly key: string;
  /** The first request record: the event id auditors sample. */
  readonly request: AuditRecord;
  readonly requests: AuditRecord[];
  readonly responses: AuditRecord[];
  approvalId: string | null;
  /** The record that authorised forwarding, when the call executed. */
  executedBy: AuditRecord | null;
}

export interface Approval {
  readonly approvalId: string;
  requested: AuditRecord | null;
  readonly decided: AuditRecord[];
  expired: AuditRecord | null;
  readonly consumed: AuditRecord[];
}

const EXECUTED = new Set(["allowed", "approval_approved"]);

export function isToolCallRequest(r: AuditRecord): boolean {
  return r.kind === "mcp.request" && r.action.method === "tools/call";
}

/** Orders records across chains: time, then chain, then seq (stable for equal times). */
export function compareRecords(a: AuditRecord, b: AuditRecord): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.chainId !== b.chainId) return a.chainId < b.chainId ? -1 : 1;
  return a.seq - b.seq;
}

export function indexApprovals(records: readonly AuditRecord[]): Map<string, Approval> {
  const out = new Map<string, Approval>();
  for (const r of [...records].sort(compareRecords)) {
    if (!r.kind.startsWith("approval.")) continue;
    const id = r.decision.approvalId;
    if (!id) continue;
    let a = out.get(id);
    if (!a) {
      a = { approvalId: id, requested: null, decided: [], expired: null, consumed: [] };
      out.set(id, a);
    }
    if (r.kind === "approval.requested") a.requested ??= r;
    else if (r.kind === "approval.decided") a.decided.push(r);
    else if (r.kind === "approval.expired") a.expired ??= r;
    else if (r.kind === "approval.consumed") a.consumed.push(r);
  }
  return out;
}

export function indexToolCalls(records: readonly AuditRecord[], approvals: ReadonlyMap<string, Approval>): ToolCall[] {
  const calls = new Map<string, ToolCall>();
  const sorted = [...records].sort(compareRecords);
  for (const r of sorted) {
    if (!isToolCallRequest(r)) continue;
    const key = r.correlationId ?? `record:${r.id}`;
    let c = calls.get(key);
    if (!c) {
      c = { key, request: r, requests: [], responses: [], approvalId: null, executedBy: null };
      calls.set(key, c);
    }
    c.requests.push(r);
    if (r.decision.approvalId) c.approvalId = r.decision.approvalId;
    if (!c.executedBy && EXECUTED.has(r.decision.outcome)) c.executedBy = r;
  }
  for (const r of sorted) {
    if (r.kind !== "mcp.response" || !r.correlationId) continue;
    calls.get(r.correlationId)?.responses.push(r);
  }
  for (const a of approvals.values()) {
    for (const consumed of a.consumed) {
      // The call that used it: details.consumedBy (a retry of the request has a new correlation id).
      const by = approvalDetails(consumed).consumedBy ?? consumed.correlationId;
      const c = by ? calls.get(by) : undefined;
      if (!c) continue;
      c.approvalId ??= a.approvalId;
      if (!c.executedBy || compareRecords(consumed, c.executedBy) < 0) c.executedBy = consumed;
    }
    const reqCorr = a.requested?.correlationId;
    const c = reqCorr ? calls.get(reqCorr) : undefined;
    if (c) c.approvalId ??= a.approvalId;
  }
  return [...calls.values()];
}

/** The approving decisions of an approval (approval.decided with outcome approval_approved). */
export function approvingDecisions(a: Approval): AuditRecord[] {
  return a.decided.filter((d) => d.decision.outcome === "approval_approved");
}

/** The final state of an approval: approved, rejected, expired or pending. */
export function approvalState(a: Approval): "approved" | "rejected" | "expired" | "pending" {
  if (a.decided.some((d) => d.decision.outcome === "approval_rejected")) return "rejected";
  if (approvingDecisions(a).length > 0) return "approved";
  if (a.expired) return "expired";
  return "pending";
}
