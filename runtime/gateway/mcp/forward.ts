/**
 * The steps shared by POST, GET and DELETE: opening the session envelope, recording a refusal,
 * writing the request record (durable before forwarding), and forwarding with a timeout and
 * client-disconnect handling.
 */
import type { Request, Response } from "express";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import type { AuditEventInput } from "../../core/audit/record-schema";
import type { RequestId } from "../../core/mcp/jsonrpc";
import { sendRejection } from "../send-rejection";
import type { GatewayDeps } from "../gateway-deps";
import { auditEvent, type CallContext } from "./call-context";
import type { McpDeps } from "./mcp-deps";
import { relayResponse } from "./response-relay";
import { gatehouseMetrics } from "../../core/telemetry/metrics";
import { methodLabel } from "../../core/mcp/mcp-methods";

/** The upstream session id inside the client's Mcp-Session-Id, after checking identity and server. */
export function openSession(deps: GatewayDeps, ctx: CallContext, req: Request): string | null {
  const sid = req.headers["mcp-session-id"];
  if (typeof sid !== "string" || sid === "") return null;
  ctx.upstreamSessionId = deps.sessions.open(sid, { oid: ctx.identity.oid, server: ctx.server }).u;
  return ctx.upstreamSessionId;
}

export async function writeRequestRecord(deps: GatewayDeps, event: AuditEventInput, ctx: CallContext): Promise<void> {
  gatehouseMetrics.request({ server: ctx.server, method: methodLabel(ctx.method), outcome: event.decision.outcome });
  try {
    await deps.audit.write(event);
  } catch (e) {
    throw isGatehouseError(e) && e.code === "ERR_AUDIT_UNAVAILABLE"
      ? new GatehouseError("ERR_AUDIT_UNAVAILABLE", "Service unavailable: the audit trail cannot record this request, so it is not forwarded")
      : e;
  }
  ctx.requestAudited = true;
}

/** A policy refusal: recorded (best effort: refusing is already the safe side), then answered. */
export async function refuse(
  deps: GatewayDeps,
  ctx: CallContext,
  res: Response,
  id: RequestId | null,
  err: GatehouseError,
  outcome: "denied" | "blocked" | "approval_rejected" | "approval_expired",
  ruleId: string | null,
  extra: Partial<AuditEventInput["decision"]> = {},
): Promise<void> {
  gatehouseMetrics.request({ server: ctx.server, method: methodLabel(ctx.method), outcome });
  gatehouseMetrics.denial({ server: ctx.server, code: err.code });
  await deps.audit.write(auditEvent(deps, ctx, "mcp.request", { outcome, ruleId, code: err.code, reason: err.message, ...extra })).catch(() => undefined);
  ctx.requestAudited = true;
  sendRejection(res, err, { id });
}

export interface ForwardOptions {
  readonly httpMethod: "POST" | "GET" | "DELETE";
  readonly body?: Buffer;
  readonly rpcMethod: string | null;
  readonly requestId: RequestId | null;
  readonly upstreamSessionId: string | null;
}

export async function forwardAndRelay(deps: McpDeps, ctx: CallContext, req: Request, res: Response, opts: ForwardOptions): Promise<void> {
  const spec = ctx.policy.server(ctx.server);
  const controller = new AbortController();
  // Streams opened by GET live as long as the client wants; requests are bounded by the server's timeout.
  const timer =
    opts.httpMethod === "GET"
      ? null
      : setTimeout(() => controller.abort(new GatehouseError("ERR_UPSTREAM_TIMEOUT", `Gateway timeout: the server did not answer within ${spec?.timeouts.requestMs} ms`)), spec?.timeouts.requestMs ?? 60_000);
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", "the client went away"));
  };
  res.on("close", onClose);
  ctx.upstreamStarted = performance.now();
  try {
    const upstream = await deps.agentClient.forward({
      httpMethod: opts.httpMethod,
      server: ctx.server,
      identity: ctx.identity,
      rpcMethod: opts.rpcMethod,
      correlationId: ctx.correlationId,
      headers: req.headers,
      upstreamSessionId: opts.upstreamSessionId,
      body: opts.body,
      signal: controller.signal,
    });
    await relayResponse(deps, ctx, upstream, res, {
      requestId: opts.requestId,
      upstreamRequestId: ctx.upstreamRequestId,
      keepAliveMs: deps.config.sseKeepAliveMs,
      sealSession: (u) => deps.sessions.seal({ u, oid: ctx.identity.oid, s: ctx.server, a: spec?.agent ?? "default", g: ctx.identity.jit?.grantId ?? null }),
      onFinal: async (final) => {
        await deps.audit.write(auditEvent(deps, ctx, "mcp.response", final.decision, final.result));
        ctx.responseAudited = true;
      },
    });
    if (!ctx.responseAudited && (opts.requestId !== null || opts.httpMethod !== "POST")) {
      const reason = opts.httpMethod === "POST" ? "the upstream ended without a response" : `${opts.httpMethod} completed`;
      await deps.audit.write(auditEvent(deps, ctx, "mcp.response", { outcome: opts.httpMethod === "POST" ? "error" : "info", reason }, { status: "none" })).catch(() => undefined);
    }
  } catch (e) {
    const reason = controller.signal.aborted ? controller.signal.reason : e;
    const err = isGatehouseError(reason) ? reason : isGatehouseError(e) ? e : new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "Bad gateway: the upstream response broke off");
    if (!ctx.responseAudited) {
      await deps.audit.write(auditEvent(deps, ctx, "mcp.response", { outcome: "error", code: err.code, reason: err.message }, { status: "error" })).catch(() => undefined);
      ctx.responseAudited = true;
    }
    if (!res.destroyed && !res.writableEnded) sendRejection(res, err, { id: opts.requestId });
  } finally {
    if (timer) clearTimeout(timer);
    res.off("close", onClose);
  }
}
