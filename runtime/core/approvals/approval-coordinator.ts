/**
 * Holds a tools/call (or a JIT request) that needs a human approval. Any replica may hold the
 * call and any replica may take the decision: the waiting replica polls the shared table (about
 * once a second) and the approval is consumed with an ETag-guarded update, so it is used once.
 */
import { randomUUID } from "node:crypto";
import { canonicalSha256 } from "../policy-model/canonical-json";
import type { ApprovalRule, Principals } from "../policy-model/schema";
import { GatehouseError } from "../errors";
import type { Identity } from "../identity";
import { logger } from "../telemetry/logger";
import { approvalUrl, type ApprovalRecord, type CallOutcome, type Person, type ToolInfo } from "./approval-record";
import type { ApprovalStore, StoredApproval } from "./approval-store";
import { auditApproval, actorOf, type AuditContext } from "./approval-audit";
import { consumeApproval, expireApproval, recordCallOutcome, type TransitionDeps } from "./approval-decisions";
import { isPastExpiry } from "./approval-rules";
import { assertReviewable } from "./approval-size";
import type { ApprovalNotifier } from "./notifications/notifier";
import { notificationOf } from "./notifications/notification-of";
import { notifySnapshot } from "./notifications/notify-snapshot";
import { describeRule } from "./rule-text";
import { isIrreversible, type ToolCatalog } from "./tool-catalog";
import type { ArgumentSealer } from "./argument-sealer";
import { editedCallOf, type EditedCall } from "./edited-call";
import { withEditMaterial } from "./edit-material";
import { sleepUnlessAborted } from "../abortable-sleep";

export interface ApprovalCoordinatorOptions {
  readonly store: ApprovalStore;
  readonly audit: AuditContext;
  /** Base URL of the gateway as users reach it, for links to the approval page. */
  readonly publicUrl: string;
  readonly notifier?: ApprovalNotifier;
  /** How long a call is held before it ends with `timeout` (the client retries later). @default 120000 */
  readonly maxWaitMs?: number;
  /** How often the table is read while waiting. @default 1000 */
  readonly pollIntervalMs?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Tools seen in tools/list results; a request snapshots its tool's description and annotations. @default - none */
  readonly tools?: ToolCatalog;
  /** Seals a held call's arguments into its record so an approver can edit it (issue 20). @default - calls cannot be edited */
  readonly sealer?: ArgumentSealer;
}

export interface ApprovalRequestInput {
  identity: Identity;
  server: string;
  tool: string;
  args: unknown;
  maskedArgs: unknown;
  rule: ApprovalRule;
  correlationId: string;
  signal: AbortSignal;
  onPending?: (a: { approvalId: string; approvers: Principals; url: string; expiresAt: string }) => void;
  /** `jit` for POST /api/sessions approvals. @default "tool-call" */
  kind?: "tool-call" | "jit";
  /** Overrides the coordinator's maxWaitMs for this call. */
  maxWaitMs?: number;
  /** The requester's reason (MCP `_meta["gatehouse/reason"]`), already masked. @default null */
  reason?: string | null;
}

/** A requester's reason is 3-500 characters once trimmed; shorter is no reason. */
export const REQUESTER_REASON = { min: 3, max: 500 } as const;

export type ApprovalOutcome =
  | {
      outcome: "approved";
      approvalId: string;
      approvers: Person[];
      decidedAt: string | null;
      /** Notes how the forwarded call ended on the approval record (call-recorder.ts calls it once). */
      markOutcome: (outcome: Omit<CallOutcome, "at">) => Promise<void>;
      /** The approver's edit: the call runs with these arguments instead of the requester's. */
      edited: EditedCall | null;
    }
  | {
      outcome: "rejected" | "expired" | "timeout";
      approvalId: string;
      reason: string | null;
      approvers: Person[];
      decidedAt: string | null;
      expiresAt: string;
    };

export class ApprovalCoordinator {
  private readonly deps: TransitionDeps;

  constructor(private readonly opts: ApprovalCoordinatorOptions) {
    this.deps = { store: opts.store, audit: opts.audit, now: opts.now, notifier: opts.notifier };
  }

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }

  async requestAndWait(input: ApprovalRequestInput): Promise<ApprovalOutcome> {
    const argsHash = canonicalSha256(input.args ?? {});
    const key = { requesterOid: input.identity.oid, server: input.server, tool: input.tool, argsHash };

    // A retry of an identical call after its approval arrived (the first wait timed out).
    for (const candidate of await this.opts.store.findReusable(key)) {
      const used = await consumeApproval(this.deps, candidate, input.correlationId);
      if (used) return this.approved(used);
    }

    const record = await this.create(input, argsHash);
    const url = approvalUrl(this.opts.publicUrl, record.id);
    // Routed to the rule's channels and group; masked summary, never arguments (notification-of.ts).
    this.opts.notifier?.notify(notificationOf(record, this.opts.publicUrl));
    try {
      input.onPending?.({ approvalId: record.id, approvers: record.approvers, url, expiresAt: record.expiresAt });
    } catch (e) {
      logger.warn("onPending callback failed", { approvalId: record.id, error: String(e) });
    }
    return this.waitFor(record.id, input);
  }

  /** Notes how an approved call ended on its record (best effort for the caller: it logs a failure). */
  markOutcome(approvalId: string, outcome: Omit<CallOutcome, "at">): Promise<ApprovalRecord> {
    return recordCallOutcome(this.deps, approvalId, outcome);
  }

  private approved(used: ApprovalRecord): ApprovalOutcome {
    let edited: EditedCall | null;
    try {
      edited = editedCallOf(used, this.opts.sealer);
    } catch (e) {
      // Consumed but not runnable here (fail closed): the record says the call did not run.
      void this.markOutcome(used.id, { status: "error", ran: false, code: "ERR_EDIT_UNAVAILABLE" }).catch(
        (err: unknown) =>
          logger.warn("the outcome of an edited call that could not run was not noted on its approval", {
            approvalId: used.id,
            code: err instanceof GatehouseError ? err.code : "ERR_INTERNAL",
          }),
      );
      throw e;
    }
    return {
      edited,
      outcome: "approved",
      approvalId: used.id,
      approvers: people(used),
      decidedAt: used.decidedAt,
      markOutcome: async (o) => void (await this.markOutcome(used.id, o)),
    };
  }

  private async create(input: ApprovalRequestInput, argsHash: string): Promise<ApprovalRecord> {
    const now = this.now();
    const reason =
      typeof input.reason === "string" && input.reason.trim().length >= REQUESTER_REASON.min
        ? input.reason.trim().slice(0, REQUESTER_REASON.max)
        : null;
    if (input.rule.requireReason && !reason) {
      throw new GatehouseError(
        "ERR_APPROVAL_REASON_REQUIRED",
        `Approval rule ${input.rule.id} needs a reason: send it as _meta["gatehouse/reason"] of the tools/call, or use a client that supports MCP elicitation so the gateway can ask for it (${REQUESTER_REASON.min}-${REQUESTER_REASON.max} characters)`,
        { ruleId: input.rule.id },
      );
    }
    const seen = input.kind === "jit" ? null : (this.opts.tools?.lookup(input.server, input.tool) ?? null);
    // The input schema is kept only for edits (edit-material.ts), never counted against the review size.
    const { inputSchema, ...toolInfo } = seen ?? { inputSchema: null };
    const waitMs = input.maxWaitMs ?? this.opts.maxWaitMs ?? 120_000;
    const record: ApprovalRecord = {
      id: randomUUID(),
      kind: input.kind ?? "tool-call",
      status: "pending",
      requester: { oid: input.identity.oid, tenantId: input.identity.tenantId, username: input.identity.username },
      server: input.server,
      tool: input.tool,
      argsHash,
      maskedArgs: input.maskedArgs ?? null,
      ruleId: input.rule.id,
      ruleDescription: input.rule.description ?? "",
      ruleText: describeRule(input.rule),
      requesterReason: reason,
      toolInfo: seen ? (toolInfo as ToolInfo) : null,
      irreversible: isIrreversible(seen),
      waitingUntil: new Date(now.getTime() + waitMs).toISOString(),
      approvers: { roles: [...input.rule.approvers.roles], groups: [...input.rule.approvers.groups] },
      count: input.rule.count,
      approvals: [],
      rejectedBy: null,
      correlationId: input.correlationId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.rule.expiresAfterSeconds * 1000).toISOString(),
      decidedAt: null,
      usableUntil: null,
      consumedAt: null,
      consumedBy: null,
      ...(input.rule.notify
        ? {
            notify: notifySnapshot(input.rule, now, new Date(now.getTime() + input.rule.expiresAfterSeconds * 1000)),
            remindedAt: null,
            escalatedAt: null,
          }
        : {}),
    };
    // Refused before anything is written when an approver could not see all of it.
    assertReviewable(record);
    // What an edit needs (sealed arguments, the input schema), only where the record has room.
    const stored = withEditMaterial(record, {
      identity: input.identity,
      args: input.args ?? {},
      rule: input.rule,
      sealer: this.opts.sealer,
      inputSchema,
    });
    // Audited before the record exists: a request nobody can see in the trail never waits.
    await auditApproval(this.opts.audit, "approval.requested", stored, {
      actor: actorOf(input.identity),
      outcome: "approval_requested",
    });
    await this.opts.store.create(stored);
    return stored;
  }

  /**
   * The requester stopped waiting (its client went away or the gateway's wait ended): the page
   * says so at once, not at the planned end. Best effort: a record decided meanwhile (ETag
   * conflict) or a store hiccup only leaves the planned time, and is logged.
   */
  private async markNotWaiting(current: StoredApproval): Promise<void> {
    const now = this.now().toISOString();
    if (current.record.status !== "pending" || (current.record.waitingUntil && current.record.waitingUntil <= now))
      return;
    try {
      await this.opts.store.update({ ...current.record, waitingUntil: now }, current.etag);
    } catch (e) {
      logger.info("the end of a requester's wait was not recorded on its approval", {
        approvalId: current.record.id,
        code: e instanceof GatehouseError ? e.code : "ERR_INTERNAL",
      });
    }
  }

  private async waitFor(id: string, input: ApprovalRequestInput): Promise<ApprovalOutcome> {
    const deadline = Date.now() + (input.maxWaitMs ?? this.opts.maxWaitMs ?? 120_000);
    const poll = this.opts.pollIntervalMs ?? 1000;
    let lastEtag = "";
    let current: StoredApproval | null = null;
    for (;;) {
      try {
        current = await this.opts.store.require(id);
      } catch (e) {
        // A transient storage error does not end a held call: keep polling until the deadline.
        if (e instanceof GatehouseError && e.code === "ERR_APPROVAL_NOT_FOUND") throw e;
        logger.warn("approval poll failed; retrying", {
          approvalId: id,
          error: e instanceof Error ? e.message : String(e),
        });
        if (!current) throw e;
      }
      if (current.etag !== lastEtag || isPastExpiry(current.record, this.now())) {
        lastEtag = current.etag;
        const r = current.record;
        if (r.status === "approved") {
          const used = await consumeApproval(this.deps, current, input.correlationId);
          if (used) return this.approved(used);
          throw new GatehouseError("ERR_APPROVAL_CONFLICT", "the approval was already used by another request", {
            approvalId: id,
          });
        }
        if (r.status === "rejected")
          return {
            outcome: "rejected",
            approvalId: id,
            reason: r.rejectedBy?.reason ?? null,
            approvers: people(r),
            decidedAt: r.decidedAt,
            expiresAt: r.expiresAt,
          };
        if (r.status === "expired") return ended("expired", r);
        if (isPastExpiry(r, this.now())) {
          const expired = await expireApproval(this.deps, current);
          if (expired.status === "expired") return ended("expired", expired);
          continue; // decided at the last moment: read it again
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || input.signal.aborted) {
        await this.markNotWaiting(current);
        return {
          outcome: "timeout",
          approvalId: id,
          reason: "still waiting for approval; retry the identical call after it is approved",
          approvers: people(current.record),
          decidedAt: null,
          expiresAt: current.record.expiresAt,
        };
      }
      await sleepUnlessAborted(Math.min(poll, left), input.signal);
    }
  }
}

const EXPIRED_REASON = "the approval request expired before it was decided";

function ended(outcome: "expired", r: ApprovalRecord): ApprovalOutcome {
  return {
    outcome,
    approvalId: r.id,
    reason: EXPIRED_REASON,
    approvers: people(r),
    decidedAt: r.decidedAt,
    expiresAt: r.expiresAt,
  };
}

function people(r: ApprovalRecord): Person[] {
  const out = r.approvals.map((a) => ({ oid: a.oid, username: a.username }));
  if (r.rejectedBy) out.push({ oid: r.rejectedBy.oid, username: r.rejectedBy.username });
  return out;
}
