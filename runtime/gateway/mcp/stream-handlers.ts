/**
 * GET /mcp/<server> (the server-to-client stream) and DELETE /mcp/<server> (end the session).
 * Both need the caller's own session; the stateless 2026-07-28 revision has neither.
 */
import type { Request, Response } from "express";
import { GatehouseError } from "../../core/errors";
import { isStateless } from "../../core/mcp/protocol";
import { sendRejection } from "../send-rejection";
import { auditEvent, type CallContext } from "./call-context";
import { forwardAndRelay, openSession, writeRequestRecord } from "./forward";
import type { McpDeps } from "./mcp-deps";

export async function handleStream(deps: McpDeps, ctx: CallContext, req: Request, res: Response, httpMethod: "GET" | "DELETE"): Promise<void> {
  ctx.method = httpMethod === "GET" ? "GET (server stream)" : "DELETE (end session)";
  try {
    const pv = req.headers["mcp-protocol-version"];
    if (isStateless(typeof pv === "string" ? pv : undefined)) {
      res.setHeader("allow", "POST");
      throw new GatehouseError("ERR_METHOD_NOT_ALLOWED", `Method Not Allowed: protocol ${pv} has no ${httpMethod} on the MCP endpoint`);
    }
    const upstreamSessionId = openSession(deps, ctx, req);
    if (!upstreamSessionId) throw new GatehouseError("ERR_BAD_REQUEST", "Bad Request: Mcp-Session-Id header is required");
    const reachable = ctx.policy.reachable(ctx.identity, ctx.server);
    ctx.decidedMs = performance.now() - ctx.started;
    const event = auditEvent(deps, ctx, "mcp.request", { outcome: "allowed", ruleId: reachable.ruleIds[0] ?? null });
    await writeRequestRecord(deps, { ...event, details: { ...event.details, accessRuleId: reachable.ruleIds[0] ?? null } }, ctx);
    await forwardAndRelay(deps, ctx, req, res, { httpMethod, rpcMethod: null, requestId: null, upstreamSessionId });
  } catch (e) {
    const err = e instanceof GatehouseError ? e : new GatehouseError("ERR_INTERNAL", "Internal error");
    if (!ctx.requestAudited && err.code !== "ERR_AUDIT_UNAVAILABLE") {
      await deps.audit.write(auditEvent(deps, ctx, "mcp.request", { outcome: "denied", code: err.code, reason: err.message })).catch(() => undefined);
    }
    sendRejection(res, err);
  }
}
