/**
 * POST /mcp/<server>: one JSON-RPC message from the client. Parsed from the raw bytes (UTF-8
 * only), decided by the policy on the body (never on headers), audited durably before it is
 * forwarded, answered through the relay. Every refusal goes through sendRejection.
 *
 * The upstream receives the message the policy decided and the audit recorded, re-serialized by
 * the gateway (never the client's bytes: issue 12, item 1): a gateway-owned id for a request, the
 * client's roots capability only where the policy declares roots, and a client answer only to a
 * server request the gateway relayed.
 */
import type { Request, Response } from "express";
import { GatehouseError } from "../../core/errors";
import { decodeClientJson } from "../../core/mcp/body-charset";
import { parseClientMessage, targetName, type JsonRpcMessage, type RequestId } from "../../core/mcp/jsonrpc";
import { HEADER, checkMirroredHeaders, isStateless } from "../../core/mcp/protocol";
import { readRawBody } from "../read-raw-body";
import { sendRejection } from "../send-rejection";
import type { GatewayDeps } from "../gateway-deps";
import type { McpDeps } from "./mcp-deps";
import { auditEvent, type CallContext } from "./call-context";
import { awaitApproval } from "./approval-wait";
import { checkClientAnswer } from "./client-answer";
import { forwardAndRelay, openSession, refuse, writeRequestRecord } from "./forward";
import { stripRootsCapability } from "./roots-policy";
import { inflightUpstreamId, rememberInflight, upstreamIdFor } from "./upstream-ids";

export async function handlePost(deps: McpDeps, ctx: CallContext, req: Request, res: Response): Promise<void> {
  let id: RequestId | null = null;
  let forget: (() => void) | null = null;
  try {
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    if (!type.startsWith("application/json")) throw new GatehouseError("ERR_UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type: Content-Type must be application/json");
    const body = await readRawBody(req, deps.config.maxBodyBytes);
    const msg = parseClientMessage(decodeClientJson(req.headers["content-type"], body));
    if (msg.kind === "request") id = msg.message.id;
    describe(ctx, msg);
    if (msg.kind === "request" && msg.message.method === "tools/call") {
      ctx.maskedArguments = deps.masker.maskValue(msg.message.params?.arguments ?? {}, { server: ctx.server, tool: ctx.name, copy: "audit" }).value;
    }
    const protocolVersion = typeof req.headers["mcp-protocol-version"] === "string" ? req.headers["mcp-protocol-version"] : undefined;
    // Mirrored headers reach the upstream: whenever a client sends them they must say what the body says.
    const mirrors = req.headers[HEADER.METHOD] !== undefined || req.headers[HEADER.NAME] !== undefined;
    if ((isStateless(protocolVersion) || mirrors) && (msg.kind === "request" || msg.kind === "notification")) {
      checkMirroredHeaders(req.headers, msg.message.method, msg.message.params);
    }
    const upstreamSessionId = openSession(deps, ctx, req);
    const spec = ctx.policy.server(ctx.server);

    let forwarded: Record<string, unknown>;
    if (msg.kind === "request" || msg.kind === "notification") {
      const decision = ctx.policy.decide(ctx.identity, ctx.server, { method: msg.message.method, params: msg.message.params });
      ctx.decidedMs = performance.now() - ctx.started;
      if (decision.effect === "deny") return refuse(deps, ctx, res, id, new GatehouseError(decision.code, decision.message, { ruleId: decision.ruleId }), "denied", decision.ruleId);
      if (decision.effect === "block") return refuse(deps, ctx, res, id, new GatehouseError(decision.code, decision.message, { ruleId: decision.ruleId }), "blocked", decision.ruleId);
      forwarded = { ...msg.message };
      if (msg.message.method === "initialize") forwarded.params = stripRootsCapability(msg.message.params, spec);
      if (msg.kind === "notification" && msg.message.method === "notifications/cancelled") {
        const target = msg.message.params?.requestId;
        const upstreamTarget = typeof target === "string" || typeof target === "number" ? inflightUpstreamId(ctx, target) : null;
        if (upstreamTarget === null) return ignoreCancellation(deps, ctx, res);
        forwarded.params = { ...msg.message.params, requestId: upstreamTarget };
      }
      let approval: { approvalId: string; approvers: { oid: string; username: string | null }[] } | null = null;
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
      if (msg.kind === "request") {
        ctx.upstreamRequestId = upstreamIdFor(ctx);
        forwarded.id = ctx.upstreamRequestId;
        forget = rememberInflight(ctx, msg.message.id, ctx.upstreamRequestId);
      }
    } else {
      // A client's answer to a server request (sampling, elicitation, roots): only to one the gateway relayed.
      const answer = checkClientAnswer(deps, ctx, msg, spec);
      ctx.method = `${answer.relayed.m} (client answer)`;
      ctx.jsonrpcId = answer.relayed.id;
      const reason = answer.droppedRoots > 0 ? `client answer to a server request; ${answer.droppedRoots} root(s) outside the policy's roots removed` : "client answer to a server request";
      await writeRequestRecord(deps, auditEvent(deps, ctx, "mcp.request", { outcome: "allowed", reason }, answer.audit), ctx);
      forwarded = answer.forwarded;
    }
    const rpcMethod = msg.kind === "request" || msg.kind === "notification" ? msg.message.method : null;
    await forwardAndRelay(deps, ctx, req, res, { httpMethod: "POST", body: Buffer.from(JSON.stringify(forwarded), "utf8"), rpcMethod, requestId: id, upstreamSessionId });
  } catch (e) {
    await refuseAfterError(deps, ctx, res, id, e);
  } finally {
    forget?.();
  }
}

function describe(ctx: CallContext, msg: JsonRpcMessage): void {
  if (msg.kind === "request" || msg.kind === "notification") {
    ctx.method = msg.message.method;
    ctx.name = targetName(msg.message.method, msg.message.params);
  }
  if (msg.kind !== "notification") ctx.jsonrpcId = msg.message.id;
}

/** A cancellation of a request not in flight here: nothing upstream to cancel. Recorded, accepted, not forwarded. */
async function ignoreCancellation(deps: GatewayDeps, ctx: CallContext, res: Response): Promise<void> {
  await writeRequestRecord(deps, auditEvent(deps, ctx, "mcp.request", { outcome: "info", reason: "cancellation of a request not in flight on this replica: not forwarded" }), ctx);
  res.status(202).end();
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
