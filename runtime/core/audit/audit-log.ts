/**
 * The audit trail's second, independent copy: each record, each chain anchor and each signed
 * checkpoint as a structured log line. With telemetry on, winston lines reach Application
 * Insights / Log Analytics as traces whose Properties carry these fields (custom dimensions).
 * Records are masked already; no token or secret is ever a field here.
 */
import { logger } from "../telemetry/logger";
import type { AuditRecord } from "./record-schema";
import type { Checkpoint } from "./checkpoint";

export const AUDIT_LOG_MESSAGE = "gatehouse.audit";
export const ANCHOR_LOG_MESSAGE = "gatehouse.anchor";
export const CHECKPOINT_LOG_MESSAGE = "gatehouse.checkpoint";

/** Flat properties, so KQL reads Properties.actor_oid etc. without parsing nested JSON. */
export function auditLogProperties(r: AuditRecord): Record<string, string | number | null> {
  return {
    recordId: r.id,
    recordTime: r.time,
    kind: r.kind,
    correlationId: r.correlationId,
    actor_oid: r.actor.oid,
    actor_username: r.actor.username,
    actor_via: r.actor.via,
    server: r.target.server,
    method: r.action.method,
    name: r.action.name,
    outcome: r.decision.outcome,
    code: r.decision.code,
    ruleId: r.decision.ruleId,
    approvalId: r.decision.approvalId,
    // What an approval.decided record did: "approve", "reject" or an approver's "edit" (workbook insights).
    decisionAction: typeof r.details.action === "string" ? r.details.action : null,
    approvers: r.decision.approvers.length ? r.decision.approvers.map((a) => a.username ?? a.oid).join(",") : null,
    jitGrantId: r.session.jitGrantId,
    resultStatus: r.result.status,
    policyVersion: r.policyVersion,
    policyCommit: r.policyCommit,
    chainId: r.chainId,
    seq: r.seq,
    hash: r.hash,
    // A JSON string: one dynamic column in Log Analytics (parse_json(Properties.maskingCounts)).
    maskingCounts: JSON.stringify(r.result.maskingCounts),
  };
}

export function logAuditRecord(r: AuditRecord): void {
  logger.info(AUDIT_LOG_MESSAGE, auditLogProperties(r));
}

export function logAnchor(a: { chainId: string; seq: number; hash: string; reason: "interval" | "close" }): void {
  logger.info(ANCHOR_LOG_MESSAGE, {
    chainId: a.chainId,
    seq: a.seq,
    hash: a.hash,
    anchorReason: a.reason,
    anchorTime: new Date().toISOString(),
  });
}

export function logCheckpoint(cp: Checkpoint, blob: string): void {
  logger.info(CHECKPOINT_LOG_MESSAGE, {
    chainId: cp.chainId,
    seq: cp.seq,
    hash: cp.hash,
    checkpointTime: cp.time,
    prevCheckpointHash: cp.prevCheckpointHash,
    kid: cp.kid,
    alg: cp.alg,
    signature: cp.signature,
    blob,
  });
}
