/**
 * Audit events for approvals and JIT grants. Every request, decision, reason and approver
 * identity goes through the AuditSink, whose write resolves only when the record is durable.
 */
import type { AuditSink } from "../audit/audit-sink";
import type { AuditEventInput, EventKind, Decision } from "../audit/record-schema";
import { appActor, type Identity } from "../identity";
import type { ApprovalRecord } from "./approval-record";
import { maskLabel, maskLabelOrNull } from "../masking/mask-label";

export interface AuditContext {
  readonly sink: AuditSink;
  readonly policyVersion?: () => string | null;
}

export function actorOf(who: Identity | null): AuditEventInput["actor"] {
  if (!who) return { oid: null, tenantId: null, username: null, via: "none" };
  return {
    oid: who.oid,
    tenantId: who.tenantId,
    username: who.username,
    roles: who.roles,
    groups: who.groups,
    via: who.via,
    ...appActor(who),
  };
}

export function requesterActor(r: ApprovalRecord): AuditEventInput["actor"] {
  return { oid: r.requester.oid, tenantId: r.requester.tenantId, username: r.requester.username, via: "entra" };
}

export async function auditApproval(
  ctx: AuditContext,
  kind: EventKind,
  r: ApprovalRecord,
  opts: {
    actor: AuditEventInput["actor"];
    outcome: Decision;
    reason?: string | null;
    code?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const approvers = [...r.approvals.map((a) => ({ oid: a.oid, username: a.username }))];
  if (r.rejectedBy) approvers.push({ oid: r.rejectedBy.oid, username: r.rejectedBy.username });
  await ctx.sink.write({
    kind,
    correlationId: r.correlationId,
    policyVersion: ctx.policyVersion?.() ?? null,
    actor: opts.actor,
    target: { server: r.server },
    // The stored record keeps the tool name the approval is matched on; the trail gets it masked like
    // every name, and the decider's free-text reason too (issue 12, item 6).
    action: {
      method: r.kind === "jit" ? "POST /api/sessions" : "tools/call",
      name: maskLabel(r.tool),
      arguments: r.maskedArgs,
    },
    decision: {
      outcome: opts.outcome,
      ruleId: r.ruleId,
      code: opts.code ?? null,
      reason: maskLabelOrNull(opts.reason ?? null),
      approvalId: r.id,
      approvers,
    },
    details: {
      approvalKind: r.kind,
      ruleId: r.ruleId,
      ...(r.kind === "jit" && isRecord(r.maskedArgs) && typeof r.maskedArgs.reason === "string"
        ? { justification: r.maskedArgs.reason }
        : {}),
      status: r.status,
      argsHash: r.argsHash,
      requester: { oid: r.requester.oid, username: r.requester.username },
      requiredApprovers: r.approvers,
      count: r.count,
      approvals: r.approvals,
      rejectedBy: r.rejectedBy,
      expiresAt: r.expiresAt,
      // After an approver's edit every event says so: the approvals cover the edited hash only.
      ...(r.edit
        ? {
            edit: {
              by: r.edit.by,
              originalArgsHash: r.edit.originalArgsHash,
              editedArgsHash: r.edit.editedArgsHash,
              edits: r.edit.edits,
            },
          }
        : {}),
      ...opts.details,
    },
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
