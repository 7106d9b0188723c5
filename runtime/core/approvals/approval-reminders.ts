/**
 * The reminder and escalation timer of one gateway replica (issue 20). Every replica scans the
 * shared approvals table; a reminder or an escalation is claimed with an ETag-guarded update of the
 * record's `remindedAt` / `escalatedAt` before anything is sent, so with any number of replicas it
 * goes out once: a replica that loses the claim (412) sends nothing. An escalation is audited
 * (`approval.escalated`) before it is sent; if that write fails the claim is undone and the next
 * scan retries. A pending request past its expiry is expired here too, so its channels are told
 * (a PagerDuty incident resolved) even when no requester is waiting any more.
 */
import { GatehouseError } from "../errors";
import { logger } from "../telemetry/logger";
import type { ApprovalRecord } from "./approval-record";
import type { ApprovalStore, StoredApproval } from "./approval-store";
import { actorOf, auditApproval } from "./approval-audit";
import { expireApproval, type TransitionDeps } from "./approval-decisions";
import { isPastExpiry } from "./approval-rules";
import type { ApprovalEvent, ApprovalNotifier } from "./notifications/notifier";
import { notificationOf } from "./notifications/notification-of";

export interface ApprovalRemindersOptions extends TransitionDeps {
  readonly store: ApprovalStore;
  /** Sends reminders and escalations; also told when the scanner expires a request (PagerDuty resolve). */
  readonly notifier: ApprovalNotifier;
  /** Base URL of the gateway, for the links. */
  readonly publicUrl: string;
  /** Time between scans. @default 15000 */
  readonly intervalMs?: number;
}

export class ApprovalReminders {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly opts: ApprovalRemindersOptions) {}

  /** Scans every `intervalMs`, one scan at a time; the timer never keeps the process alive. */
  start(): void {
    const tick = (): void => {
      this.running = this.scanOnce()
        .catch((e: unknown) => {
          logger.warn("approval reminder scan failed; retried at the next scan", {
            event: "approvals.scan_failed",
            code: e instanceof GatehouseError ? e.code : "ERR_INTERNAL",
          });
        })
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.opts.intervalMs ?? 15_000).unref();
        });
    };
    this.timer = setTimeout(tick, this.opts.intervalMs ?? 15_000).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the pending requests. */
  async scanOnce(): Promise<void> {
    for (const row of await this.opts.store.list({ status: "pending" })) {
      if (this.stopped) return;
      try {
        await this.visit(row);
      } catch (e) {
        logger.warn("approval reminder step failed; retried at the next scan", {
          event: "approvals.scan_failed",
          approvalId: row.record.id,
          code: e instanceof GatehouseError ? e.code : "ERR_INTERNAL",
        });
      }
    }
  }

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }

  private async visit(row: StoredApproval): Promise<void> {
    const now = this.now();
    if (isPastExpiry(row.record, now)) {
      await expireApproval(this.opts, row);
      return;
    }
    const plan = row.record.notify;
    if (!plan) return;
    let current: StoredApproval | null = row;
    const due = (at: string | null, done: string | null | undefined): boolean =>
      at !== null && !done && Date.parse(at) <= now.getTime();
    if (due(plan.escalateAt, current.record.escalatedAt)) {
      current = await this.claim(current, { escalatedAt: now.toISOString() });
      if (current && !(await this.auditEscalation(current))) return;
      if (current) this.send(current.record, "escalated");
    }
    if (current && due(plan.remindAt, current.record.remindedAt)) {
      current = await this.claim(current, { remindedAt: now.toISOString() });
      if (current) this.send(current.record, "reminder");
    }
  }

  /** The ETag-guarded claim; null when another replica (or a decision) changed the record first. */
  private async claim(row: StoredApproval, change: Partial<ApprovalRecord>): Promise<StoredApproval | null> {
    try {
      return await this.opts.store.update({ ...row.record, ...change }, row.etag);
    } catch (e) {
      if (e instanceof GatehouseError && e.code === "ERR_APPROVAL_CONFLICT") return null;
      throw e;
    }
  }

  /** Audits the escalation; on failure undoes the claim (so a later scan retries) and returns false. */
  private async auditEscalation(claimed: StoredApproval): Promise<boolean> {
    const r = claimed.record;
    try {
      await auditApproval(this.opts.audit, "approval.escalated", r, {
        actor: actorOf(null),
        outcome: "info",
        details: {
          escalatedTo: r.notify?.escalateTo?.group ?? null,
          channels: r.notify?.escalateTo?.channels ?? r.notify?.channels ?? null,
          escalatedAt: r.escalatedAt,
        },
      });
      return true;
    } catch (e) {
      logger.error("approval escalation not audited: not sent, retried at the next scan", {
        event: "approvals.escalation_unaudited",
        approvalId: r.id,
        code: e instanceof GatehouseError ? e.code : "ERR_INTERNAL",
      });
      await this.opts.store.update({ ...r, escalatedAt: null }, claimed.etag).catch((undo: unknown) =>
        logger.error("approval escalation claim not undone: it will not be retried", {
          event: "approvals.escalation_claim_stuck",
          approvalId: r.id,
          code: undo instanceof GatehouseError ? undo.code : "ERR_INTERNAL",
        }),
      );
      return false;
    }
  }

  private send(r: ApprovalRecord, event: ApprovalEvent): void {
    this.opts.notifier.notify(notificationOf(r, this.opts.publicUrl, event));
  }
}
