/**
 * A client's answer (result or error) to a server→client request. It is forwarded only when its
 * id is one the gateway sealed when it relayed that request to this identity, server and session
 * (relayed-request-id.ts); otherwise ERR_UNSOLICITED_RESPONSE, audited as a refusal. The upstream
 * gets its own id back, a roots/list answer confined to the policy's roots, and the audit trail a
 * masked copy of the answer (sampling and elicitation answers are data like any other).
 *
 * An answer to a question the gateway asked itself (its id carries the gateway-origin marker) is
 * never forwarded: `gateway` carries it, masked, for the shared store (gateway-elicitation.ts).
 */
import { z } from "zod";
import type { ElicitationAnswer } from "../../core/approvals/elicitation-store";
import { GatehouseError } from "../../core/errors";
import type { JsonRpcMessage } from "../../core/mcp/jsonrpc";
import { openRelayedRequestId, type RelayedRequest } from "../../core/mcp/relayed-request-id";
import type { McpServerSpec } from "../../core/policy-model/schema";
import type { SessionSealer } from "../../core/mcp/session-envelope";
import { auditResult } from "./audit-result";
import type { CallContext } from "./call-context";
import { confineRoots } from "./roots-policy";

type Answer = Extract<JsonRpcMessage, { kind: "result" | "error" }>;

export interface CheckedAnswer {
  /** The message the upstream receives. */
  readonly forwarded: Record<string, unknown>;
  readonly relayed: RelayedRequest;
  /** The audit view of the (masked) answer. */
  readonly audit: ReturnType<typeof auditResult>;
  /** Roots the policy did not allow, removed from a roots/list answer. */
  readonly droppedRoots: number;
  /** An answer to the gateway's own question (elicitation id and masked answer): kept here, never forwarded. */
  readonly gateway: { readonly elicitationId: string; readonly answer: ElicitationAnswer } | null;
}

/** The MCP ElicitResult, as much of it as the gateway's questions use (reason: string, confirm: boolean). */
const ElicitResultSchema = z.object({
  action: z.enum(["accept", "decline", "cancel"]),
  content: z.record(z.string(), z.unknown()).optional(),
});

export function checkClientAnswer(
  ctx: CallContext,
  msg: Answer,
  spec: McpServerSpec | undefined,
  sessions: SessionSealer,
): CheckedAnswer {
  const clientId = msg.message.id;
  const relayed =
    clientId === null
      ? null
      : openRelayedRequestId(sessions, clientId, {
          oid: ctx.identity.oid,
          server: ctx.server,
          upstreamSessionId: ctx.upstreamSessionId,
        });
  if (!relayed) {
    throw new GatehouseError(
      "ERR_UNSOLICITED_RESPONSE",
      "Invalid Request: this answers no request the gateway relayed to this session",
    );
  }
  let forwarded: Record<string, unknown> = { ...msg.message, id: relayed.id };
  let droppedRoots = 0;
  if (msg.kind === "result" && relayed.m === "roots/list") {
    const confined = confineRoots(msg.message.result, spec?.roots ?? []);
    forwarded = { ...forwarded, result: confined.result };
    droppedRoots = confined.dropped;
  }
  const payload = msg.kind === "result" ? forwarded.result : forwarded.error;
  const masked = ctx.masker.maskValue(payload ?? null, { server: ctx.server, tool: null, copy: "audit" });
  const audit = auditResult(
    masked.value,
    msg.kind === "result" ? "ok" : "error",
    masked.counts,
    msg.kind === "error" ? msg.message.error.code : null,
  );
  return {
    forwarded,
    relayed,
    audit,
    droppedRoots,
    gateway: relayed.origin === "gateway" ? gatewayAnswer(ctx, msg, relayed) : null,
  };
}

/** The answer to the gateway's question, masked (a reason is a user's free text); an error or malformed result is a cancel. */
function gatewayAnswer(ctx: CallContext, msg: Answer, relayed: RelayedRequest): CheckedAnswer["gateway"] {
  const parsed = msg.kind === "result" ? ElicitResultSchema.safeParse(msg.message.result) : null;
  const action = parsed?.success ? parsed.data.action : "cancel";
  const content = parsed?.success ? (parsed.data.content ?? {}) : {};
  const reason =
    action === "accept" && typeof content.reason === "string"
      ? ctx.masker.maskText(content.reason, { server: ctx.server, tool: null, copy: "audit" }).value
      : null;
  const confirm = action === "accept" && typeof content.confirm === "boolean" ? content.confirm : null;
  return { elicitationId: String(relayed.id), answer: { action, reason, confirm } };
}
