/**
 * The gateway asks the human behind the client a question itself (MCP `elicitation/create`, spec
 * 2025-06-18): on the call's own SSE response stream, under a gateway-origin sealed id
 * (relayed-request-id.ts), so the client's answer comes back to the gateway and never reaches an
 * upstream. The question is a row in the shared store first: whichever replica receives the
 * answer writes it there (client-answer.ts), and the replica holding the call polls the row.
 */
import { randomUUID } from "node:crypto";
import type { ElicitationAnswer, ElicitationRecord, ElicitationStore } from "../../core/approvals/elicitation-store";
import { GatehouseError } from "../../core/errors";
import { sealGatewayRequestId } from "../../core/mcp/relayed-request-id";
import type { SessionSealer } from "../../core/mcp/session-envelope";
import { logger } from "../../core/telemetry/logger";
import type { AuditResult } from "./audit-result";
import type { Call } from "./call-context";
import { sleepUnlessAborted } from "../../core/abortable-sleep";

export interface ElicitationDeps {
  readonly elicitations: ElicitationStore;
  readonly sessions: SessionSealer;
  /** How long the gateway waits for the requester's answer. @default 120000 */
  readonly maxWaitMs?: number;
  /** How often the shared row is read while waiting. @default 500 */
  readonly pollIntervalMs?: number;
  /** Interval of the keep-alive comments on the stream while the requester thinks (at most 10 s). @default 10000 */
  readonly keepAliveMs?: number;
}

export interface Question {
  readonly purpose: "reason" | "confirm";
  readonly ruleId: string;
  /** What the client shows its user: never an unmasked value. */
  readonly message: string;
  /** A flat JSON Schema object of primitive properties (the spec's restricted form). */
  readonly requestedSchema: Record<string, unknown>;
}

/**
 * The client's answer to a question of the gateway (client-answer.ts opened its id): written into
 * the question's shared row first (a stale, repeated or foreign answer is refused there with
 * ERR_UNSOLICITED_RESPONSE), then recorded, then 202. Never forwarded.
 */
export async function receiveAnswer(
  call: Call,
  store: ElicitationStore | null | undefined,
  given: { readonly elicitationId: string; readonly answer: ElicitationAnswer },
  audit: AuditResult,
): Promise<void> {
  const { ctx, recorder, response } = call;
  if (!store) throw new GatehouseError("ERR_UNSOLICITED_RESPONSE", "Invalid Request: this gateway asks no questions");
  const binding = { oid: ctx.identity.oid, server: ctx.server, upstreamSessionId: ctx.upstreamSessionId };
  await store.answer(given.elicitationId, binding, given.answer);
  await recorder.request(
    { outcome: "allowed", reason: "client answer to the gateway's own question: kept by the gateway, not forwarded" },
    { result: audit },
  );
  response.res.status(202).end();
}

/** The answered question, or null when no answer came in time (or the client went away). */
export async function askRequester(call: Call, deps: ElicitationDeps, q: Question): Promise<ElicitationRecord | null> {
  const { ctx, response } = call;
  const maxWaitMs = deps.maxWaitMs ?? 120_000;
  const now = Date.now();
  const record = await deps.elicitations.create({
    id: randomUUID(),
    purpose: q.purpose,
    status: "pending",
    requesterOid: ctx.identity.oid,
    server: ctx.server,
    upstreamSessionId: ctx.upstreamSessionId,
    ruleId: q.ruleId,
    correlationId: ctx.correlationId,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + maxWaitMs).toISOString(),
    action: null,
    reason: null,
    confirm: null,
    answeredAt: null,
  });
  const id = sealGatewayRequestId(deps.sessions, record.id, "elicitation/create", {
    oid: ctx.identity.oid,
    server: ctx.server,
    upstreamSessionId: ctx.upstreamSessionId,
  });
  const controller = new AbortController();
  const onClose = () => controller.abort();
  response.res.on("close", onClose);
  try {
    response.openStream();
    await response.event({
      jsonrpc: "2.0",
      id,
      method: "elicitation/create",
      params: { message: q.message, requestedSchema: q.requestedSchema },
    });
    const deadline = now + maxWaitMs;
    const keepAliveMs = Math.min(deps.keepAliveMs ?? 10_000, 10_000);
    let lastWrite = Date.now();
    for (;;) {
      const row = await deps.elicitations.get(record.id);
      if (row?.record.status === "answered") return row.record;
      const left = deadline - Date.now();
      if (!row || left <= 0 || controller.signal.aborted) return null;
      // A human may take a while: proxies on the way must not take the quiet stream for a dead one.
      if (Date.now() - lastWrite >= keepAliveMs) {
        await response.write(": waiting for the requester's answer\n\n");
        lastWrite = Date.now();
      }
      await sleepUnlessAborted(Math.min(deps.pollIntervalMs ?? 500, left), controller.signal);
    }
  } finally {
    response.res.off("close", onClose);
    // The row has served its purpose: the decision is in the audit trail, not in the table.
    await deps.elicitations.remove(record.id).catch((e: unknown) =>
      logger.warn("an answered elicitation row was not removed", {
        event: "gateway.elicitation_row_left",
        correlationId: ctx.correlationId,
        error: e instanceof Error ? e.name : "unknown",
      }),
    );
  }
}
