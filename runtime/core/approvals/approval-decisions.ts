/**
 * The transitions of an approval record, each ETag-guarded and audited: decide (approve or
 * reject), expire, consume. Used by the REST API, the page and the coordinator alike, so the
 * rules are enforced in one place whichever surface or replica is used.
 */
import { GatehouseError } from "../errors";
import type { Identity } from "../identity";
import { logger } from "../telemetry/logger";
import { approvedArgsHash, type ApprovalRecord, type CallOutcome } from "./approval-record";
import type { NotifyChannel } from "../policy-model/schema";
import type { ApprovalStore, StoredApproval } from "./approval-store";
import { applyDecision, assertMayDecide, isPastExpiry, isUsable } from "./approval-rules";
import { actorOf, auditApproval, requesterActor, type AuditContext } from "./approval-audit";
import { isReviewable, NOT_APPROVABLE_REASON } from "./approval-size";
import type { ApprovalNotifier } from "./notifications/notifier";

export interface TransitionDeps {
  readonly store: ApprovalStore;
  readonly audit: AuditContext;
  /** The clock; tests of expiry move it forward. @default () => new Date() */
  readonly now?: () => Date;
  /** Told when a request leaves the pending state (a PagerDuty incident is resolved). @default - nobody */
  readonly notifier?: Pick<ApprovalNotifier, "settled">;
}

/**
 * Every channel that announced the request: the rule's, and its escalation's once sent (an alert
 * raised only by the escalation must be resolved too). null: every configured channel.
 */
function settledChannels(r: ApprovalRecord): NotifyChannel[] | null {
  const rule = r.notify?.channels ?? null;
  if (rule === null) return null;
  // The escalation's channels only once it was sent (escalatedAt claimed).
  const escalation = r.escalatedAt && r.notify?.escalateTo ? (r.notify.escalateTo.channels ?? rule) : [];
  return [...new Set([...rule, ...escalation])];
}

/** Tells the channels a request was decided or expired; sent by the replica whose transition won, so once. */
export function settle(deps: TransitionDeps, r: ApprovalRecord): void {
  if (r.status === "pending") return;
  try {
    deps.notifier?.settled?.({ approvalId: r.id, status: r.status, channels: settledChannels(r) });
  } catch (e) {
    logger.error("approval settle notification crashed", {
      event: "approvals.notification_crashed",
      approvalId: r.id,
      error: e instanceof Error ? e.name : typeof e,
    });
  }
}

const MAX_ATTEMPTS = 8;
export const MAX_REASON_CHARS = 1000;

export async function decideApproval(
  deps: TransitionDeps,
  input: {
    id: string;
    action: "approve" | "reject";
    who: Identity;
    reason: string | null;
    confirmIrreversible?: boolean;
    /**
     * The arguments hash the approver reviewed (the page always sends it; API callers may). An
     * approver's edit can change the call between loading and deciding: an approval then must not
     * count toward arguments its approver never saw.
     */
    argsHash?: string;
  },
): Promise<ApprovalRecord> {
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, MAX_REASON_CHARS) : null;
  if (input.action === "reject" && !reason)
    throw new GatehouseError("ERR_BAD_REQUEST", "a reason is required to reject", { approvalId: input.id });
  const now = deps.now ?? (() => new Date());
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.require(input.id);
    if (isPastExpiry(current.record, now())) await expireApproval(deps, current);
    assertMayDecide(current.record, input.who, now());
    if (
      input.action === "approve" &&
      input.argsHash !== undefined &&
      input.argsHash !== approvedArgsHash(current.record)
    )
      throw new GatehouseError(
        "ERR_APPROVAL_CONFLICT",
        "the call's arguments were edited since you reviewed them: review the edited call, then decide again",
        { approvalId: input.id },
      );
    if (input.action === "approve" && !isReviewable(current.record)) {
      throw new GatehouseError("ERR_APPROVAL_TOO_LARGE", NOT_APPROVABLE_REASON, { approvalId: input.id });
    }
    // An irreversible call is approved only with an explicit confirmation, whatever the surface.
    if (input.action === "approve" && current.record.irreversible && input.confirmIrreversible !== true) {
      throw new GatehouseError(
        "ERR_CONFIRMATION_REQUIRED",
        "this call cannot be undone: confirm it explicitly (confirmIrreversible: true) to approve it",
        { approvalId: input.id },
      );
    }
    const next = applyDecision(current.record, {
      action: input.action,
      who: input.who,
      reason,
      now: now(),
      usableForSeconds: usableSeconds(current.record),
    });
    let saved: StoredApproval;
    try {
      saved = await deps.store.update(next, current.etag);
    } catch (e) {
      // Another approver or replica changed the record first: re-read and re-check every rule.
      if (e instanceof GatehouseError && e.code === "ERR_APPROVAL_CONFLICT" && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    try {
      await auditApproval(deps.audit, "approval.decided", next, {
        actor: actorOf(input.who),
        outcome:
          next.status === "rejected" ? "approval_rejected" : next.status === "approved" ? "approval_approved" : "info",
        reason,
        details: { action: input.action, approvalsSoFar: next.approvals.length },
      });
    } catch (e) {
      // Fail closed: a decision that cannot be audited is undone.
      await deps.store.update(current.record, saved.etag).catch((undo) =>
        logger.error("approval decision could not be undone after an audit failure", {
          approvalId: input.id,
          error: String(undo),
        }),
      );
      throw e;
    }
    settle(deps, next);
    return next;
  }
}

/** Marks a pending record past its expiry as expired (idempotent across replicas) and audits it once. */
export async function expireApproval(deps: TransitionDeps, current: StoredApproval): Promise<ApprovalRecord> {
  const next: ApprovalRecord = {
    ...current.record,
    status: "expired",
    decidedAt: (deps.now ?? (() => new Date()))().toISOString(),
    // An expired call never runs: its sealed arguments (kept for an approver's edit) are dropped.
    sealedArgs: null,
  };
  try {
    await deps.store.update(next, current.etag);
  } catch (e) {
    if (e instanceof GatehouseError && e.code === "ERR_APPROVAL_CONFLICT")
      return (await deps.store.require(current.record.id)).record;
    throw e;
  }
  await auditApproval(deps.audit, "approval.expired", next, {
    actor: requesterActor(next),
    outcome: "approval_expired",
    code: "ERR_APPROVAL_EXPIRED",
  });
  settle(deps, next);
  return next;
}

/**
 * Uses an approved record once. Returns the consumed record, or null when it is not usable (used
 * by another request, or past its usable window). The ETag makes a second use impossible.
 */
export async function consumeApproval(
  deps: TransitionDeps,
  current: StoredApproval,
  correlationId: string,
): Promise<ApprovalRecord | null> {
  const now = (deps.now ?? (() => new Date()))();
  if (!isUsable(current.record, now)) return null;
  const next: ApprovalRecord = { ...current.record, consumedAt: now.toISOString(), consumedBy: correlationId };
  let saved: StoredApproval;
  try {
    // Used once: the store keeps no sealed arguments past this point; the caller runs them from `next`.
    saved = await deps.store.update({ ...next, sealedArgs: null }, current.etag);
  } catch (e) {
    if (e instanceof GatehouseError && e.code === "ERR_APPROVAL_CONFLICT") return null;
    throw e;
  }
  try {
    await auditApproval(deps.audit, "approval.consumed", next, {
      actor: requesterActor(next),
      outcome: "approval_approved",
      details: { consumedBy: correlationId },
    });
  } catch (e) {
    // The consumption could not be recorded: put the approval back so it can be used once, later.
    // If even that fails the approval stays consumed (the safe side: the call is refused) — say so.
    await deps.store.update(current.record, saved.etag).catch((undo: unknown) => {
      logger.error("approval consumption not undone after a failed audit write", {
        event: "approvals.consume_undo_failed",
        approvalId: current.record.id,
        error: undo instanceof Error ? undo.name : typeof undo,
      });
    });
    throw e;
  }
  return next;
}

/**
 * Notes how the approved call ended on its record (issue 19, item 3), so the page, the API and the
 * CLI say whether it ran and how. Not an audit event: the call's response record is. ETag-guarded
 * and retried, so a concurrent write (the page's "not waiting" mark) cannot erase it.
 */
export async function recordCallOutcome(
  deps: TransitionDeps,
  id: string,
  outcome: Omit<CallOutcome, "at">,
): Promise<ApprovalRecord> {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.require(id);
    const next: ApprovalRecord = { ...current.record, callOutcome: { ...outcome, at } };
    try {
      return (await deps.store.update(next, current.etag)).record;
    } catch (e) {
      if (e instanceof GatehouseError && e.code === "ERR_APPROVAL_CONFLICT" && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
  }
}

/** An approved call stays usable by the requester's retry for the rule's expiry window. */
function usableSeconds(r: ApprovalRecord): number {
  return Math.max(60, Math.round((Date.parse(r.expiresAt) - Date.parse(r.createdAt)) / 1000));
}
