/**
 * A tools/call whose decision is "approval": handed to the ApprovalCoordinator, which records the
 * approval request and waits. While it waits, a client that accepts SSE gets a notice (and
 * progress, when it sent a progressToken) so it can show the pending approval and keep its timer
 * alive. Without a coordinator the call is refused — never silently allowed.
 */
import type { Request, Response } from "express";
import { GatehouseError } from "../../core/errors";
import type { JsonRpcMessage } from "../../core/mcp/jsonrpc";
import type { PolicyDecision } from "../../core/policy/policy-engine";
import { formatSseEvent } from "../../core/mcp/sse-parser";
import type { GatewayDeps } from "../gateway-deps";
import type { CallContext } from "./call-context";
import { refuse } from "./forward";
import { setSseHeaders, writeChunk } from "./response-relay";

type ApprovalDecision = Extract<PolicyDecision, { effect: "approval" }>;
export interface ApprovalGranted {
  approvalId: string;
  approvers: { oid: string; username: string | null }[];
}

export async function awaitApproval(deps: GatewayDeps, ctx: CallContext, req: Request, res: Response, msg: JsonRpcMessage, decision: ApprovalDecision): Promise<ApprovalGranted | null> {
  const id = msg.kind === "request" ? msg.message.id : null;
  if (!deps.approvals || msg.kind !== "request") {
    await refuse(deps, ctx, res, id, new GatehouseError("ERR_APPROVAL_REQUIRED", `Approval required by rule ${decision.rule.id}: this gateway has no approvals service configured, so the call is refused`, { ruleId: decision.rule.id }), "denied", decision.rule.id);
    return null;
  }
  const params = msg.message.params ?? {};
  const meta = params._meta as Record<string, unknown> | undefined;
  const progressToken = meta?.progressToken;
  const acceptsSse = String(req.headers.accept ?? "").includes("text/event-stream");
  const controller = new AbortController();
  const onClose = () => controller.abort();
  res.on("close", onClose);
  let ticker: NodeJS.Timeout | null = null;
  const send = (m: unknown) => void writeChunk(res, formatSseEvent({ event: "message", data: JSON.stringify(m), hasData: true }));
  try {
    const outcome = await deps.approvals.requestAndWait({
      identity: ctx.identity,
      server: ctx.server,
      tool: ctx.name ?? "",
      args: params.arguments ?? {},
      maskedArgs: ctx.maskedArguments ?? {},
      // The requester's reason, masked like the arguments (nothing unmasked is stored).
      reason: typeof meta?.["gatehouse/reason"] === "string" ? deps.masker.maskText(meta["gatehouse/reason"], { server: ctx.server, tool: ctx.name, copy: "audit" }).value : null,
      rule: decision.rule,
      correlationId: ctx.correlationId,
      signal: controller.signal,
      onPending: ({ approvalId, url }) => {
        if (!acceptsSse) return;
        setSseHeaders(res);
        send({ jsonrpc: "2.0", method: "notifications/message", params: { level: "notice", logger: "gatehouse", data: { message: "This call is waiting for approval", approvalId, url } } });
        let n = 0;
        ticker = setInterval(() => {
          if (progressToken !== undefined) send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken, progress: ++n, message: "waiting for approval" } });
          else void writeChunk(res, ": waiting for approval\n\n");
        }, Math.min(deps.config.sseKeepAliveMs, 10_000));
      },
    });
    if (outcome.outcome === "approved") return { approvalId: outcome.approvalId, approvers: outcome.approvers };
    const code = outcome.outcome === "rejected" ? "ERR_APPROVAL_REJECTED" : outcome.outcome === "expired" ? "ERR_APPROVAL_EXPIRED" : "ERR_APPROVAL_PENDING";
    const text =
      outcome.outcome === "timeout"
        ? `Approval ${outcome.approvalId} is still pending: retry the same call once it is approved`
        : `Approval ${outcome.approvalId} was ${outcome.outcome}${outcome.reason ? `: ${outcome.reason}` : ""}`;
    await refuse(deps, ctx, res, id, new GatehouseError(code, text, { approvalId: outcome.approvalId }), outcome.outcome === "rejected" ? "approval_rejected" : outcome.outcome === "expired" ? "approval_expired" : "denied", decision.rule.id, {
      approvalId: outcome.approvalId,
      approvers: outcome.approvers,
    });
    return null;
  } finally {
    if (ticker) clearInterval(ticker);
    res.off("close", onClose);
  }
}
