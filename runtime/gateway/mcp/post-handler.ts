/**
 * POST /mcp/<server>: one JSON-RPC message from the client. Parsed from the raw bytes, decided by
 * the policy on the body (never on headers), audited durably before it is forwarded, answered
 * through the relay. Every refusal goes through sendRejection.
 */
import type { Request, Response } from "express";
import { GatehouseError } from "../../core/errors";
import { parseClientMessage, targetName, type JsonRpcMessage, type RequestId } from "../../core/mcp/jsonrpc";
import { checkMirroredHeaders, isStateless } from "../../core/mcp/protocol";
import { readRawBody } from "../read-raw-body";
import { sendRejection } from "../send-rejection";
import type { GatewayDeps } from "../gateway-deps";
import type { McpDeps } from "./mcp-deps";
import { auditEvent, type CallContext } from "./call-context";
import { awaitApproval } from "./approval-wait";
import { forwardAndRelay, openSession, refuse, writeRequestRecord } from "./forward";

export async function handlePost(deps: McpDeps, ctx: CallContext, req: Request, res: Response): Promise<void> {
  let id: RequestId | null = null;
  try {
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    if (!type.startsWith("application/json")) throw new GatehouseError("ERR_UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type: Content-Type must be application/json");
    const body = await readRawBody(req, deps.config.maxBodyBytes);
    const msg = parseClientMessage(body);
    if (msg.kind === "request") id = msg.message.id;
    describe(ctx, msg);
    if (msg.kind === "request" && msg.message.method === "tools/call") {
      ctx.maskedArguments = deps.masker.maskValue(msg.message.params?.arguments ?? {}, { server: ctx.server, tool: ctx.name, copy: "audit" }).value;
    }
    const protocolVersion = typeof req.headers["mcp-protocol-version"] === "string" ? req.headers["mcp-protocol-version"] : undefined;
    if (isStateless(protocolVersion) && (msg.kind === "request" || msg.kind === "notification")) {
      checkMirroredHeaders(req.headers, msg.message.method, msg.message.params);
    }
    const upstreamSessionId = openSession(deps, ctx, req);

    let approval: { approvalId: string; approvers: { oid: string; username: string | null }[] } | null = null;
    if (msg.kind === "request" || msg.kind === "notification") {
      const decision = ctx.policy.decide(ctx.identity, ctx.server, { method: msg.message.method, params: msg.message.params });
      ctx.decidedMs = performance.now() - ctx.started;
      if (decision.effect === "deny") return refuse(deps, ctx, res, id, new GatehouseError(decision.code, decision.message, { ruleId: decision.ruleId }), "denied", decision.ruleId);
      if (decision.effect === "block") return refuse(deps, ctx, res, id, new GatehouseError(decision.code, decision.message, { ruleId: decision.ruleId }), "blocked", decision.ruleId);
      if (decision.effect === "approval") {
        approval = await awaitApproval(deps, ctx, req, res, msg, decision);
        if (!approval) return; // refused (and audited) inside
      }
      const event = auditEvent(deps, ctx, "mcp.request", {
        outcome: "allowed",
        // allow: the access rule; approval: the approval rule (evidence reports rely on it).
        ruleId: decision.ruleId,
        approvalId: approval?.approvalId ?? null,
        approvers: approval?.approvers ?? [],
      });
      // The access rule that let the caller reach the tool, whatever ruleId names (entitlement use).
      const accessRuleId = decision.effect === "approval" ? decision.accessRuleId : decision.ruleId;
      await writeRequestRecord(deps, { ...event, details: { ...event.details, accessRuleId } }, ctx);
    } else {
      // A client's answer to a server request (sampling, elicitation, roots): passes intact, audited.
      await writeRequestRecord(deps, auditEvent(deps, ctx, "mcp.request", { outcome: "allowed", reason: "client response to a server request" }), ctx);
    }
    await forwardAndRelay(deps, ctx, req, res, { httpMethod: "POST", body, rpcMethod: msg.kind === "request" || msg.kind === "notification" ? msg.message.method : null, requestId: id, upstreamSessionId });
  } catch (e) {
    await refuseAfterError(deps, ctx, res, id, e);
  }
}

function describe(ctx: CallContext, msg: JsonRpcMessage): void {
  if (msg.kind === "request" || msg.kind === "notification") {
    ctx.method = msg.message.method;
    ctx.name = targetName(msg.message.method, msg.message.params);
  }
  if (msg.kind !== "notification") ctx.jsonrpcId = msg.message.id;
}

/** Refusals found before a decision (body, headers, session, audit): audited as errors when possible. */
async function refuseAfterError(deps: GatewayDeps, ctx: CallContext, res: Response, id: RequestId | null, e: unknown): Promise<void> {
  const err = e instanceof GatehouseError ? e : new GatehouseError("ERR_INTERNAL", "Internal error");
  if (err.code !== "ERR_AUDIT_UNAVAILABLE") {
    const kind = ctx.requestAudited ? "mcp.response" : "mcp.request";
    await deps.audit
      .write(auditEvent(deps, ctx, kind, { outcome: err.code.startsWith("ERR_UPSTREAM") ? "error" : "denied", code: err.code, reason: err.message }))
      .catch(() => undefined);
  }
  sendRejection(res, err, { id });
}
