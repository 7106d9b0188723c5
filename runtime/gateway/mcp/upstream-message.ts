/**
 * What happens to each message coming back from upstream before the client sees it: list results
 * are filtered to what the caller may use, every message is masked (client copy), tool results
 * pass result guardrails, and the final response also gets its audit copy (masked with copy
 * "audit"). Anything that cannot be scanned is withheld (fail closed).
 */
import { GatehouseError, isGatehouseError } from "../../core/errors";
import type { ToolCatalog } from "../../core/approvals/tool-catalog";
import { classifyMessage, type RequestId } from "../../core/mcp/jsonrpc";
import type { SessionSealer } from "../../core/mcp/session-envelope";
import { rejectionBody } from "../../http/send-rejection";
import { auditResult } from "./audit-result";
import type { CallContext } from "./call-context";
import type { AuditEventInput } from "../../core/audit/record-schema";
import { gatehouseMetrics } from "../../core/telemetry/metrics";
import { sealRelayedRequestId } from "../../core/mcp/relayed-request-id";
import { maskCopies } from "../../core/masking/mask-copies";

const LISTS: Record<string, { key: string; kind: "tools" | "resources" | "prompts" }> = {
  "tools/list": { key: "tools", kind: "tools" },
  "resources/list": { key: "resources", kind: "resources" },
  "resources/templates/list": { key: "resourceTemplates", kind: "resources" },
  "prompts/list": { key: "prompts", kind: "prompts" },
};

export interface ProcessedMessage {
  /** What the client receives; null = drop the message. */
  client: unknown;
  /** Set when this was the final response to the client's request. */
  final?: { decision: AuditEventInput["decision"]; result: NonNullable<AuditEventInput["result"]> };
}

export function isListMethod(method: string | null): boolean {
  return method !== null && method in LISTS;
}

/** The client's id of the request being answered, and the gateway-owned id the upstream saw (upstream-ids.ts). */
export interface AnsweredIds {
  readonly client: RequestId | null;
  readonly upstream: RequestId | null;
}

/** One upstream message, masked by the call's pinned masker; `sessions` seals the ids of relayed server requests. */
export function processUpstreamMessage(
  ctx: CallContext,
  value: unknown,
  ids: AnsweredIds,
  sessions: SessionSealer,
  tools?: ToolCatalog,
): ProcessedMessage {
  const m = classifyMessage(value);
  const isAnswer = m !== null && (m.kind === "result" || m.kind === "error");
  // An error with a null id is what a server sends when it could not read the id: on this exchange, it answers this request.
  const isFinal =
    isAnswer &&
    ids.upstream !== null &&
    (m.message.id === ids.upstream || (m.kind === "error" && m.message.id === null));
  const requestId = ids.client;
  const tool = ctx.method === "tools/call" ? ctx.name : null;
  const maskCtx = { server: ctx.server, tool };
  if (isAnswer && !isFinal && !(ids.upstream === null && m.message.id === null)) {
    // An answer to no request of this exchange (another id, or on the GET stream) is not relayed:
    // it was not filtered, decided or audited as the answer to anything (issue 12, item 3).
    gatehouseMetrics.denial({ server: ctx.server, code: "ERR_UPSTREAM_BAD_RESPONSE" });
    return { client: null };
  }
  if (!isFinal) {
    let masked: Record<string, unknown>;
    try {
      masked = ctx.masker.maskMessage(value, { ...maskCtx, copy: "client" }).value as Record<string, unknown>;
    } catch {
      // An unscannable notification or server request is dropped rather than passed unmasked.
      return { client: null };
    }
    // A server request reaches the client under a sealed id: its answer is forwarded only if it names it (client-answer.ts).
    if (m?.kind === "request") {
      const binding = { oid: ctx.identity.oid, server: ctx.server, upstreamSessionId: ctx.upstreamSessionId };
      return { client: { ...masked, id: sealRelayedRequestId(sessions, m.message.id, m.message.method, binding) } };
    }
    return { client: masked };
  }
  let message: Record<string, unknown> = { ...(value as Record<string, unknown>), id: requestId };
  try {
    const list = ctx.method ? LISTS[ctx.method] : undefined;
    if (list && m!.kind === "result") {
      const result = message.result as Record<string, unknown>;
      const items = result[list.key];
      if (Array.isArray(items)) {
        const allowed = ctx.policy.filterList(
          ctx.identity,
          ctx.server,
          list.kind,
          items as { name?: string; uri?: string; uriTemplate?: string }[],
        );
        message = { ...message, result: { ...result, [list.key]: allowed } };
      }
    }
    const { client, audit } = maskCopies(ctx.masker, message, maskCtx);
    gatehouseMetrics.masked(client.counts, { server: ctx.server, copy: "client" });
    const masked = client.value as Record<string, unknown>;
    // Approval requests show the tool's description and annotations: the client's (masked, filtered) copy is what they keep.
    if (tools && list?.kind === "tools") {
      const listed = (masked.result as Record<string, unknown> | undefined)?.tools;
      if (Array.isArray(listed)) tools.remember(ctx.server, listed);
    }
    if (tool && m!.kind === "result") {
      const hit = ctx.policy.checkResult(ctx.server, tool, () => JSON.stringify(masked.result ?? null));
      if (hit) {
        const err = new GatehouseError("ERR_GUARDRAIL_BLOCKED", `Blocked by guardrail ${hit.ruleId}: ${hit.message}`, {
          ruleId: hit.ruleId,
        });
        return refused(
          err,
          requestId,
          { outcome: "blocked", ruleId: hit.ruleId, code: err.code, reason: hit.message },
          audit.value,
          audit.counts,
        );
      }
    }
    const isError = m!.kind === "error" || (masked.result as { isError?: unknown } | undefined)?.isError === true;
    const errorCode = m!.kind === "error" ? (m!.message as { error: { code: number } }).error.code : null;
    return {
      client: masked,
      final: {
        decision: { outcome: "allowed" },
        result: auditResult(
          (audit.value as Record<string, unknown>).result ?? (audit.value as Record<string, unknown>).error,
          isError ? "error" : "ok",
          audit.counts,
          errorCode,
        ),
      },
    };
  } catch (e) {
    const err = isGatehouseError(e)
      ? e
      : new GatehouseError("ERR_RESULT_WITHHELD", "Result withheld: it could not be scanned for sensitive data");
    return refused(err, requestId, { outcome: "error", code: err.code, reason: err.message }, null, {}, "withheld");
  }
}

function refused(
  err: GatehouseError,
  id: RequestId | null,
  decision: AuditEventInput["decision"],
  auditMasked: unknown,
  counts: Record<string, number>,
  status: "error" | "withheld" = "error",
): ProcessedMessage {
  const { body } = rejectionBody(err, id);
  return { client: body, final: { decision, result: auditResult(auditMasked, status, counts, body.error.code) } };
}
