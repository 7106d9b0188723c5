/**
 * A client's answer (result or error) to a server→client request. It is forwarded only when its
 * id is one the gateway sealed when it relayed that request to this identity, server and session
 * (relayed-request-id.ts); otherwise ERR_UNSOLICITED_RESPONSE, audited as a refusal. The upstream
 * gets its own id back, a roots/list answer confined to the policy's roots, and the audit trail a
 * masked copy of the answer (sampling and elicitation answers are data like any other).
 */
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
}

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
  return { forwarded, relayed, audit, droppedRoots };
}
