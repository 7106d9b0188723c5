/**
 * The one writer of a call's audit records (issue 14, item 1): the request record (durable before
 * anything is forwarded), the final response record (durable before the client sees it), and the
 * records of refusals and ends. Those last ones are best effort — the call is already refused or
 * over, so refusing is not an option — but a lost one is never silent: it is logged (codes only)
 * and counted (`gatehouse.audit.records_lost`), besides the sink's own write-failure count.
 *
 * A call to a tool the policy declares read-only (issue 15, docs/decisions/0008) may defer its
 * request record: it is then written together with the call's next record, in one append, before
 * anything of the call reaches the client (the final response, or a message relayed before it).
 *
 * Names, URIs and reasons are the caller's text: masked by the call's pinned masker (issue 12,
 * item 6), the masker of the bundle the record names.
 */
import type { CallOutcome } from "../../core/approvals/approval-record";
import type { AuditSink } from "../../core/audit/audit-sink";
import type { AuditEventInput } from "../../core/audit/record-schema";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { maskLabel, maskLabelOrNull } from "../../core/masking/mask-label";
import { methodLabel } from "../../core/mcp/mcp-methods";
import { sessionDigest } from "../../core/mcp/session-envelope";
import { logger } from "../../core/telemetry/logger";
import { gatehouseMetrics } from "../../core/telemetry/metrics";
import type { AuditResult } from "./audit-result";
import { appActor } from "../../core/identity";
import type { CallContext } from "./call-context";

type Decision = AuditEventInput["decision"];
type Kind = "mcp.request" | "mcp.response" | "http.refused";
export type PolicyRefusal = "denied" | "blocked" | "approval_rejected" | "approval_expired";
/** Told once how the call ended, after its last record is written (an approved call's approval notes it). */
export type OutcomeListener = (outcome: Omit<CallOutcome, "at">) => Promise<void>;

export class CallRecorder {
  private requestRecorded = false;
  private responseRecorded = false;
  /** Upstream messages not relayed because they could not be scanned, by reason: noted on the response record. */
  private readonly droppedUpstream: Record<string, number> = {};
  private outcomeListener: OutcomeListener | null = null;
  /** A read-only call's request record, not yet written: it goes with the call's next record. */
  private deferred: AuditEventInput | null = null;

  constructor(
    private readonly sink: AuditSink,
    private readonly ctx: CallContext,
  ) {}

  /**
   * The request record; resolves once durable, else throws ERR_AUDIT_UNAVAILABLE (the call must
   * not be forwarded). With `deferred` (only for a tool the policy declares read-only) it is kept
   * and written with the call's next record instead, before anything reaches the client.
   */
  async request(
    decision: Decision,
    opts: { result?: AuditResult; accessRuleId?: string | null; deferred?: boolean } = {},
  ): Promise<void> {
    gatehouseMetrics.request({
      server: this.ctx.server,
      method: methodLabel(this.ctx.method),
      outcome: decision.outcome,
    });
    const event = this.event("mcp.request", decision, opts.result);
    if (opts.accessRuleId !== undefined) event.details = { ...event.details, accessRuleId: opts.accessRuleId };
    if (opts.deferred) {
      this.deferred = event;
      this.requestRecorded = true;
      return;
    }
    try {
      await this.sink.write(event);
    } catch (e) {
      throw isGatehouseError(e) && e.code === "ERR_AUDIT_UNAVAILABLE"
        ? new GatehouseError(
            "ERR_AUDIT_UNAVAILABLE",
            "Service unavailable: the audit trail cannot record this request, so it is not forwarded",
          )
        : e;
    }
    this.requestRecorded = true;
  }

  /**
   * Before a message other than the final response reaches the client (a progress notification, a
   * server request): a deferred request record is made durable first; throws ERR_AUDIT_UNAVAILABLE
   * when it cannot be (the message must then not be relayed).
   */
  async beforeRelay(): Promise<void> {
    const deferred = this.deferred;
    if (!deferred) return;
    this.deferred = null;
    try {
      await this.sink.write(deferred);
    } catch (e) {
      this.lost(deferred, e);
      throw new GatehouseError(
        "ERR_AUDIT_UNAVAILABLE",
        "Service unavailable: the audit trail cannot record this request, so nothing of it is relayed",
      );
    }
  }

  /** A policy refusal (deny, guardrail, approval outcome), recorded as the request. */
  async refusal(
    err: GatehouseError,
    outcome: PolicyRefusal,
    ruleId: string | null,
    extra: Partial<Decision> = {},
  ): Promise<void> {
    gatehouseMetrics.request({ server: this.ctx.server, method: methodLabel(this.ctx.method), outcome });
    gatehouseMetrics.denial({ server: this.ctx.server, code: err.code });
    this.requestRecorded = true;
    await this.bestEffort(
      this.event("mcp.request", { outcome, ruleId, code: err.code, reason: err.message, ...extra }),
    );
  }

  /**
   * A refusal found outside the policy (body, headers, session, a failure): recorded as the request,
   * or as its response once the request is recorded; nothing when the audit trail is what failed.
   */
  async failure(err: GatehouseError): Promise<void> {
    if (this.responseRecorded) return;
    if (err.code !== "ERR_AUDIT_UNAVAILABLE") {
      const kind = this.requestRecorded ? "mcp.response" : "mcp.request";
      if (kind === "mcp.response") this.responseRecorded = true;
      this.requestRecorded = true;
      await this.bestEffort(
        this.event(kind, {
          outcome: err.code.startsWith("ERR_UPSTREAM") ? "error" : "denied",
          code: err.code,
          reason: err.message,
        }),
      );
    }
    await this.ended({ outcome: "error", code: err.code }, { status: "error" });
  }

  /**
   * The requester's own confirmation, or its refusal (requester-input.ts): a decision of its own
   * kind, never an approval. `durable`: resolves only once written (the call goes on after it),
   * else ERR_AUDIT_UNAVAILABLE; otherwise best effort (the call is refused anyway).
   */
  async requesterDecision(
    kind: "approval.requester_confirmed" | "approval.requester_declined",
    decision: Decision,
    opts: { durable: boolean; details?: Record<string, unknown> },
  ): Promise<void> {
    const event: AuditEventInput = { ...this.event("mcp.request", decision), kind, details: { ...opts.details } };
    if (!opts.durable) return this.bestEffort(event);
    try {
      await this.sink.write(event);
    } catch {
      throw new GatehouseError(
        "ERR_AUDIT_UNAVAILABLE",
        "Service unavailable: the audit trail cannot record the requester's confirmation, so the call is not forwarded",
      );
    }
  }

  /** The final response; resolves once durable, else throws (the response must then not be delivered). */
  async response(decision: Decision, result: AuditResult): Promise<void> {
    try {
      await this.write(this.event("mcp.response", decision, result));
    } catch (e) {
      await this.ended(
        { outcome: "error", code: isGatehouseError(e) ? e.code : "ERR_AUDIT_UNAVAILABLE" },
        { status: "error" },
      );
      throw e;
    }
    this.responseRecorded = true;
    await this.ended(decision, result);
  }

  /** How the exchange ended when no final response was recorded (a stream closed, an upstream that broke off). */
  async end(decision: Decision, result: AuditResult): Promise<void> {
    if (this.responseRecorded) return;
    this.responseRecorded = true;
    await this.bestEffort(this.event("mcp.response", decision, result));
    await this.ended(decision, result);
  }

  /** An upstream message withheld from the client (not JSON, say): noted on the response record. */
  dropped(reason: string): void {
    this.droppedUpstream[reason] = (this.droppedUpstream[reason] ?? 0) + 1;
  }

  /** A request refused at the door (server not reachable for this identity): an `http.refused` record. */
  async httpRefused(err: GatehouseError): Promise<void> {
    gatehouseMetrics.denial({ server: this.ctx.server, code: err.code });
    this.requestRecorded = true;
    await this.bestEffort(this.event("http.refused", { outcome: "denied", code: err.code, reason: err.message }));
  }

  /** The one hook (issue 19, item 3): `listener` hears how the call ended, once. */
  onOutcome(listener: OutcomeListener): void {
    this.outcomeListener = listener;
  }

  /** Tells the listener how the call ended; its failure is logged (a store outage is counted by storeCall), never the call's. */
  private async ended(
    decision: Pick<Decision, "outcome" | "code">,
    result: Pick<AuditResult, "status">,
  ): Promise<void> {
    const listener = this.outcomeListener;
    if (!listener) return;
    this.outcomeListener = null;
    const status =
      decision.outcome === "blocked"
        ? "blocked"
        : result.status === "ok" || result.status === "withheld"
          ? result.status
          : "error";
    try {
      await listener({ status, ran: this.ctx.upstreamStarted !== null, code: decision.code ?? null });
    } catch (e) {
      const code = isGatehouseError(e) ? e.code : "ERR_INTERNAL";
      logger.warn("how an approved call ended was not noted on its approval", {
        event: "gateway.approval_outcome_lost",
        correlationId: this.ctx.correlationId,
        code,
      });
    }
  }

  /**
   * Writes a record, and a deferred request record before it: both issued in the same tick, so the
   * group commit puts them in one append (one durable round trip); resolves when both are durable.
   */
  private async write(event: AuditEventInput): Promise<void> {
    const deferred = this.deferred;
    this.deferred = null;
    if (!deferred) {
      await this.sink.write(event);
      return;
    }
    const [request, response] = await Promise.allSettled([this.sink.write(deferred), this.sink.write(event)]);
    if (request.status === "rejected" && response.status === "fulfilled") this.lost(deferred, request.reason);
    if (request.status === "rejected") throw request.reason;
    if (response.status === "rejected") throw response.reason;
  }

  private async bestEffort(event: AuditEventInput): Promise<void> {
    const writes = this.deferred ? [this.deferred, event] : [event];
    this.deferred = null;
    const outcomes = await Promise.allSettled(writes.map((w) => this.sink.write(w)));
    outcomes.forEach((o, i) => {
      if (o.status === "rejected") this.lost(writes[i], o.reason);
    });
  }

  /** A record that could not be written: never silent (logged with codes only, and counted). */
  private lost(event: AuditEventInput, e: unknown): void {
    const code = isGatehouseError(e) ? e.code : "unknown";
    gatehouseMetrics.auditRecordLost({ kind: event.kind, code });
    logger.error("audit record not written", {
      event: "gateway.audit_record_lost",
      kind: event.kind,
      correlationId: this.ctx.correlationId,
      code,
    });
  }

  private event(kind: Kind, decision: Decision, result?: AuditResult): AuditEventInput {
    const { ctx } = this;
    const id = ctx.identity;
    const now = performance.now();
    const labelCtx = { server: ctx.server, tool: null, copy: "audit" as const };
    const dropped =
      kind === "mcp.response" && Object.keys(this.droppedUpstream).length > 0
        ? { droppedUpstreamMessages: { ...this.droppedUpstream } }
        : null;
    return {
      kind,
      correlationId: ctx.correlationId,
      policyVersion: ctx.policy.bundle.version,
      policyCommit: ctx.policy.bundle.commit,
      actor: {
        oid: id.oid,
        tenantId: id.tenantId,
        username: id.username,
        roles: id.roles,
        groups: id.groups,
        via: id.via,
        ...appActor(id),
        clientIp: ctx.clientIp,
        userAgent: ctx.userAgent,
      },
      session: { mcpSession: sessionDigest(ctx.clientSessionId), jitGrantId: id.jit?.grantId ?? null },
      target: { server: ctx.server, agent: ctx.agent },
      action: {
        method: maskLabelOrNull(ctx.method, ctx.masker, labelCtx),
        name: maskLabelOrNull(ctx.name, ctx.masker, labelCtx),
        jsonrpcId: typeof ctx.jsonrpcId === "string" ? maskLabel(ctx.jsonrpcId, ctx.masker, labelCtx) : ctx.jsonrpcId,
        ...(ctx.maskedArguments !== undefined && kind === "mcp.request" ? { arguments: ctx.maskedArguments } : {}),
      },
      decision: { ...decision, reason: maskLabelOrNull(decision.reason ?? null, ctx.masker, labelCtx) },
      result,
      ...(dropped ? { details: dropped } : {}),
      timings: {
        receivedAt: ctx.receivedAt.toISOString(),
        decidedMs: ctx.decidedMs,
        upstreamMs: ctx.upstreamStarted === null ? null : round(now - ctx.upstreamStarted),
        totalMs: kind === "mcp.request" ? null : round(now - ctx.started),
      },
    };
  }
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms * 10) / 10);
}
