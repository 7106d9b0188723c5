/**
 * What happens to each message coming back from upstream before the client sees it: list results
 * are filtered to what the caller may use, every message is masked (client copy), tool results
 * pass result guardrails, and the final response also gets its audit copy (masked with copy
 * "audit"). Anything that cannot be scanned is withheld (fail closed).
 */
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { classifyMessage, type RequestId } from "../../core/mcp/jsonrpc";
import { rejectionBody } from "../send-rejection";
import type { GatewayDeps } from "../gateway-deps";
import { auditResult, type CallContext } from "./call-context";
import type { AuditEventInput } from "../../core/audit/record-schema";
import { gatehouseMetrics } from "../../core/telemetry/metrics";

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

export function processUpstreamMessage(deps: GatewayDeps, ctx: CallContext, value: unknown, requestId: RequestId | null): ProcessedMessage {
  const m = classifyMessage(value);
  const isFinal = requestId !== null && m !== null && (m.kind === "result" || m.kind === "error") && m.message.id === requestId;
  const tool = ctx.method === "tools/call" ? ctx.name : null;
  const maskCtx = { server: ctx.server, tool };
  if (!isFinal) {
    try {
      return { client: deps.masker.maskMessage(value, { ...maskCtx, copy: "client" }).value };
    } catch {
      // An unscannable notification or server request is dropped rather than passed unmasked.
      return { client: null };
    }
  }
  let message = value as Record<string, unknown>;
  try {
    const list = ctx.method ? LISTS[ctx.method] : undefined;
    if (list && m!.kind === "result") {
      const result = message.result as Record<string, unknown>;
      const items = result[list.key];
      if (Array.isArray(items)) {
        const allowed = ctx.policy.filterList(ctx.identity, ctx.server, list.kind, items as { name?: string; uri?: string; uriTemplate?: string }[]);
        message = { ...message, result: { ...result, [list.key]: allowed } };
      }
    }
    const client = deps.masker.maskMessage(message, { ...maskCtx, copy: "client" });
    gatehouseMetrics.masked(client.counts, { server: ctx.server, copy: "client" });
    const audit = deps.masker.maskMessage(message, { ...maskCtx, copy: "audit" });
    const masked = client.value as Record<string, unknown>;
    if (tool && m!.kind === "result") {
      const hit = ctx.policy.checkResult(ctx.server, tool, JSON.stringify(masked.result ?? null));
      if (hit) {
        const err = new GatehouseError("ERR_GUARDRAIL_BLOCKED", `Blocked by guardrail ${hit.ruleId}: ${hit.message}`, { ruleId: hit.ruleId });
        return refused(err, requestId, { outcome: "blocked", ruleId: hit.ruleId, code: err.code, reason: hit.message }, audit.value, audit.counts);
      }
    }
    const isError = m!.kind === "error" || (masked.result as { isError?: unknown } | undefined)?.isError === true;
    const errorCode = m!.kind === "error" ? (m!.message as { error: { code: number } }).error.code : null;
    return {
      client: masked,
      final: {
        decision: { outcome: "allowed" },
        result: auditResult((audit.value as Record<string, unknown>).result ?? (audit.value as Record<string, unknown>).error, isError ? "error" : "ok", audit.counts, errorCode),
      },
    };
  } catch (e) {
    const err = isGatehouseError(e) ? e : new GatehouseError("ERR_RESULT_WITHHELD", "Result withheld: it could not be scanned for sensitive data");
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
