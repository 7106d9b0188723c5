/**
 * GET /mcp/<server> (the server-to-client stream) and DELETE /mcp/<server> (end the session).
 * Both need the caller's own session; the stateless 2026-07-28 revision has neither.
 */
import type { Request } from "express";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { isStateless } from "../../core/mcp/protocol";
import type { Call } from "./call-context";
import { forwardCall, type ForwardDeps } from "./forward-call";
import { openSession } from "./open-session";

export async function handleStream(
  call: Call,
  deps: ForwardDeps,
  req: Request,
  httpMethod: "GET" | "DELETE",
): Promise<void> {
  const { ctx, recorder, response } = call;
  ctx.method = httpMethod === "GET" ? "GET (server stream)" : "DELETE (end session)";
  try {
    const pv = req.headers["mcp-protocol-version"];
    if (isStateless(typeof pv === "string" ? pv : undefined)) {
      response.res.setHeader("allow", "POST");
      throw new GatehouseError(
        "ERR_METHOD_NOT_ALLOWED",
        `Method Not Allowed: protocol ${pv} has no ${httpMethod} on the MCP endpoint`,
      );
    }
    const upstreamSessionId = openSession(deps.sessions, ctx, req.headers);
    if (!upstreamSessionId)
      throw new GatehouseError("ERR_BAD_REQUEST", "Bad Request: Mcp-Session-Id header is required");
    const reachable = ctx.policy.reachable(ctx.identity, ctx.server);
    ctx.decidedMs = performance.now() - ctx.started;
    const ruleId = reachable.ruleIds[0] ?? null;
    await recorder.request({ outcome: "allowed", ruleId }, { accessRuleId: ruleId });
    await forwardCall(call, deps, {
      httpMethod,
      headers: req.headers,
      rpcMethod: null,
      requestId: null,
      upstreamSessionId,
    });
  } catch (e) {
    const err = isGatehouseError(e) ? e : new GatehouseError("ERR_INTERNAL", "Internal error");
    await recorder.failure(err);
    response.reject(err, null);
  }
}
