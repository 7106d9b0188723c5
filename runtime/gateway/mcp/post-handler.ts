/**
 * POST /mcp/<server>: one JSON-RPC message from the client, in four steps read top to bottom:
 * read it (raw bytes, UTF-8 only, never a body parser), describe it (method, name, masked
 * arguments; mirrored headers checked against the body), decide and record it (the policy on the
 * body, never on headers; the request record durable before anything is forwarded), forward it
 * (forward-call.ts). Every refusal is recorded by the call's recorder and answered by its response.
 *
 * The upstream receives the message the policy decided and the audit recorded, re-serialized by
 * the gateway (never the client's bytes: issue 12, item 1): a gateway-owned id for a request, the
 * client's roots capability only where the policy declares roots, and a client answer only to a
 * server request the gateway relayed.
 */
import type { Request } from "express";
import type { ApprovalCoordinator } from "../../core/approvals/approval-coordinator";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { decodeClientJson } from "../../core/mcp/body-charset";
import { parseClientMessage, targetName, type JsonRpcMessage, type RequestId } from "../../core/mcp/jsonrpc";
import { checkMirroredHeaders, isStateless } from "../../core/mcp/protocol";
import { readRawBody } from "../../http/read-raw-body";
import type { ElicitationStore } from "../../core/approvals/elicitation-store";
import { awaitApproval } from "./approval-wait";
import type { Call, CallContext } from "./call-context";
import { checkClientAnswer } from "./client-answer";
import { forwardCall, type ForwardDeps } from "./forward-call";
import { receiveAnswer } from "./gateway-elicitation";
import { openSession } from "./open-session";
import { isReadOnlyCall } from "./read-only-call";
import { stripRootsCapability } from "./roots-policy";
import { inflightUpstreamId, rememberInflight, upstreamIdFor } from "./upstream-ids";

export interface PostDeps extends ForwardDeps {
  readonly maxBodyBytes: number;
  /** Tool calls needing approval are refused (ERR_APPROVAL_REQUIRED) while this is absent. */
  readonly approvals: Pick<ApprovalCoordinator, "requestAndWait"> | null | undefined;
  /** Where the gateway's own questions to requesters wait for their answers; absent: it asks none. */
  readonly elicitations?: ElicitationStore | null;
  /** How often a waiting question's row is read. @default 500 */
  readonly elicitationPollMs?: number;
}

type ClientCall = Extract<JsonRpcMessage, { kind: "request" | "notification" }>;
type ClientAnswer = Extract<JsonRpcMessage, { kind: "result" | "error" }>;

export async function handlePost(call: Call, deps: PostDeps, req: Request): Promise<void> {
  const { ctx, recorder, response } = call;
  let id: RequestId | null = null;
  let forget: (() => void) | null = null;
  try {
    const msg = await readMessage(req, deps.maxBodyBytes);
    if (msg.kind === "request") id = msg.message.id;
    describe(ctx, msg, req);
    const upstreamSessionId = openSession(deps.sessions, ctx, req.headers);
    let forwarded: Record<string, unknown> | null;
    if (msg.kind === "request" || msg.kind === "notification") {
      forwarded = await decideAndRecord(call, deps, req, msg);
      if (forwarded === null) return; // refused or answered (and recorded) inside
      if (msg.kind === "request") {
        ctx.upstreamRequestId = upstreamIdFor(ctx);
        forwarded.id = ctx.upstreamRequestId;
        forget = rememberInflight(ctx, msg.message.id, ctx.upstreamRequestId);
      }
    } else {
      forwarded = await recordClientAnswer(call, deps, msg);
      if (forwarded === null) return; // the gateway's own question: answered here, never forwarded
    }
    const rpcMethod = msg.kind === "request" || msg.kind === "notification" ? msg.message.method : null;
    const body = Buffer.from(JSON.stringify(forwarded), "utf8");
    await forwardCall(call, deps, {
      httpMethod: "POST",
      headers: req.headers,
      body,
      rpcMethod,
      requestId: id,
      upstreamSessionId,
    });
  } catch (e) {
    // Refusals found outside the policy (body, headers, session, audit): recorded when possible.
    const err = isGatehouseError(e) ? e : new GatehouseError("ERR_INTERNAL", "Internal error");
    await recorder.failure(err);
    response.reject(err, id);
  } finally {
    forget?.();
  }
}

/** The client's message: JSON only, read from the raw bytes and decoded as UTF-8 (body-charset.ts). */
async function readMessage(req: Request, maxBodyBytes: number): Promise<JsonRpcMessage> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (!type.startsWith("application/json"))
    throw new GatehouseError(
      "ERR_UNSUPPORTED_MEDIA_TYPE",
      "Unsupported Media Type: Content-Type must be application/json",
    );
  const body = await readRawBody(req, maxBodyBytes);
  return parseClientMessage(decodeClientJson(req.headers["content-type"], body));
}

/** What the records will name: method, target, id, masked arguments; mirrored headers must say what the body says. */
function describe(ctx: CallContext, msg: JsonRpcMessage, req: Request): void {
  if (msg.kind === "request" || msg.kind === "notification") {
    ctx.method = msg.message.method;
    ctx.name = targetName(msg.message.method, msg.message.params);
  }
  if (msg.kind !== "notification") ctx.jsonrpcId = msg.message.id;
  if (msg.kind === "request" && msg.message.method === "tools/call") {
    ctx.maskedArguments = ctx.masker.maskValue(msg.message.params?.arguments ?? {}, {
      server: ctx.server,
      tool: ctx.name,
      copy: "audit",
    }).value;
  }
  const pv = req.headers["mcp-protocol-version"];
  const mirrors = req.headers["mcp-method"] !== undefined || req.headers["mcp-name"] !== undefined;
  if (
    (isStateless(typeof pv === "string" ? pv : undefined) || mirrors) &&
    (msg.kind === "request" || msg.kind === "notification")
  ) {
    checkMirroredHeaders(req.headers, msg.message.method, msg.message.params);
  }
}

/** The policy's decision on a request or notification, recorded; the message to forward, or null when answered here. */
async function decideAndRecord(
  call: Call,
  deps: PostDeps,
  req: Request,
  msg: ClientCall,
): Promise<Record<string, unknown> | null> {
  const { ctx, recorder, response } = call;
  const id = msg.kind === "request" ? msg.message.id : null;
  const decision = ctx.policy.decide(ctx.identity, ctx.server, {
    method: msg.message.method,
    params: msg.message.params,
  });
  ctx.decidedMs = performance.now() - ctx.started;
  if (decision.effect === "deny" || decision.effect === "block") {
    const err = new GatehouseError(decision.code, decision.message, { ruleId: decision.ruleId });
    await recorder.refusal(err, decision.effect === "deny" ? "denied" : "blocked", decision.ruleId);
    response.reject(err, id);
    return null;
  }
  const forwarded: Record<string, unknown> = { ...msg.message };
  if (msg.message.method === "initialize") {
    forwarded.params = stripRootsCapability(msg.message.params, ctx.policy.server(ctx.server));
    // Sealed into the session envelope (response-relay.ts): the gateway may then ask this client itself.
    const caps = (msg.message.params as { capabilities?: Record<string, unknown> } | undefined)?.capabilities;
    ctx.clientElicitation = typeof caps?.elicitation === "object" && caps.elicitation !== null;
  }
  if (msg.kind === "notification" && msg.message.method === "notifications/cancelled") {
    const target = msg.message.params?.requestId;
    const upstreamTarget =
      typeof target === "string" || typeof target === "number" ? inflightUpstreamId(ctx, target) : null;
    if (upstreamTarget === null) {
      // A cancellation of a request not in flight here: nothing upstream to cancel. Recorded, accepted, not forwarded.
      await recorder.request({
        outcome: "info",
        reason: "cancellation of a request not in flight on this replica: not forwarded",
      });
      response.res.status(202).end();
      return null;
    }
    forwarded.params = { ...msg.message.params, requestId: upstreamTarget };
  }
  const approval =
    decision.effect === "approval"
      ? await awaitApproval(
          call,
          {
            approvals: deps.approvals,
            keepAliveMs: deps.keepAliveMs,
            elicitation: {
              elicitations: deps.elicitations ?? undefined,
              sessions: deps.sessions,
              pollIntervalMs: deps.elicitationPollMs,
              keepAliveMs: deps.keepAliveMs,
            },
          },
          req.headers,
          msg,
          decision,
        )
      : null;
  if (decision.effect === "approval" && !approval) return null; // refused (and recorded) inside
  await recorder.request(
    // allow: the access rule; approval: the approval rule (evidence reports rely on it).
    {
      outcome: "allowed",
      ruleId: decision.ruleId,
      approvalId: approval?.approvalId ?? null,
      approvers: approval?.approvers ?? [],
    },
    {
      // The access rule that let the caller reach the tool, whatever ruleId names (entitlement use).
      accessRuleId: decision.effect === "approval" ? decision.accessRuleId : decision.ruleId,
      // A read-only tool's request record goes with its response record, in one append (docs/decisions/0008).
      deferred: isReadOnlyCall(ctx.policy.server(ctx.server), msg.message.method, ctx.name, decision.effect),
    },
  );
  return forwarded;
}

/**
 * A client's answer to a server request (sampling, elicitation, roots): only to one the gateway
 * relayed; recorded. An answer to the gateway's own question goes to the shared store; null then.
 */
async function recordClientAnswer(
  call: Call,
  deps: PostDeps,
  msg: ClientAnswer,
): Promise<Record<string, unknown> | null> {
  const { ctx, recorder } = call;
  const answer = checkClientAnswer(ctx, msg, ctx.policy.server(ctx.server), deps.sessions);
  ctx.method = `${answer.relayed.m} (client answer)`;
  ctx.jsonrpcId = answer.relayed.id;
  if (answer.gateway) {
    await receiveAnswer(call, deps.elicitations, answer.gateway, answer.audit);
    return null;
  }
  const reason =
    answer.droppedRoots > 0
      ? `client answer to a server request; ${answer.droppedRoots} root(s) outside the policy's roots removed`
      : "client answer to a server request";
  await recorder.request({ outcome: "allowed", reason }, { result: answer.audit });
  return answer.forwarded;
}
