/**
 * Everything known about one MCP HTTP request while it is decided, forwarded and answered, and
 * the audit events built from it (one shape for every decision point).
 */
import { randomUUID } from "node:crypto";
import type { Request } from "express";
import { createHash } from "node:crypto";
import type { AuditEventInput } from "../../core/audit/record-schema";
import { appActor, type Identity } from "../../core/identity";
import type { RequestId } from "../../core/mcp/jsonrpc";
import { sessionDigest } from "../../core/mcp/session-envelope";
import { canonicalJson } from "../../../policies/canonical-json";
import type { GatewayDeps } from "../gateway-deps";
import { pinPolicy, type PolicyView } from "../../core/policy/live-policy";
import { maskLabel, maskLabelOrNull } from "../../core/masking/mask-label";

export interface CallContext {
  readonly correlationId: string;
  readonly identity: Identity;
  readonly server: string;
  readonly agent: string;
  readonly receivedAt: Date;
  readonly started: number;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  readonly clientSessionId: string | null;
  /** The policy engine in force when the request arrived: it decides, and its version is on every record. */
  readonly policy: PolicyView;
  method: string | null;
  name: string | null;
  jsonrpcId: RequestId | null;
  /** The id the upstream sees for this request: gateway-owned, unique (issue 12, item 3). */
  upstreamRequestId: RequestId | null;
  /** The upstream session (from the envelope, or the upstream's answer to initialize). */
  upstreamSessionId: string | null;
  maskedArguments?: unknown;
  decidedMs: number | null;
  upstreamStarted: number | null;
  /** The request record is durable (later problems are recorded as the response). */
  requestAudited: boolean;
  responseAudited: boolean;
}

export function newCallContext(req: Request, server: string, agent: string, policy: PolicyView): CallContext {
  const sid = req.headers["mcp-session-id"];
  return {
    correlationId: randomUUID(),
    identity: req.auth!,
    server,
    agent,
    receivedAt: new Date(),
    started: performance.now(),
    clientIp: req.ip ?? null,
    userAgent: typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"].slice(0, 200) : null,
    clientSessionId: typeof sid === "string" ? sid : null,
    policy: pinPolicy(policy),
    method: null,
    name: null,
    jsonrpcId: null,
    upstreamRequestId: null,
    upstreamSessionId: null,
    decidedMs: null,
    upstreamStarted: null,
    requestAudited: false,
    responseAudited: false,
  };
}

type Decision = AuditEventInput["decision"];
type Result = NonNullable<AuditEventInput["result"]>;

const MAX_INLINE_RESULT = 32 * 1024;

export function auditEvent(deps: GatewayDeps, ctx: CallContext, kind: "mcp.request" | "mcp.response" | "http.refused", decision: Decision, result?: Result): AuditEventInput {
  const id = ctx.identity;
  const now = performance.now();
  const labelCtx = { server: ctx.server, tool: null, copy: "audit" as const };
  return {
    kind,
    correlationId: ctx.correlationId,
    policyVersion: ctx.policy.bundle.version,
    policyCommit: ctx.policy.bundle.commit,
    actor: { oid: id.oid, tenantId: id.tenantId, username: id.username, roles: id.roles, groups: id.groups, via: id.via, ...appActor(id), clientIp: ctx.clientIp, userAgent: ctx.userAgent },
    session: { mcpSession: sessionDigest(ctx.clientSessionId), jitGrantId: id.jit?.grantId ?? null },
    target: { server: ctx.server, agent: ctx.agent },
    // Names, URIs and reasons are the caller's text too: masked like its arguments (issue 12, item 6).
    action: {
      method: maskLabelOrNull(ctx.method, deps.masker, labelCtx),
      name: maskLabelOrNull(ctx.name, deps.masker, labelCtx),
      jsonrpcId: typeof ctx.jsonrpcId === "string" ? maskLabel(ctx.jsonrpcId, deps.masker, labelCtx) : ctx.jsonrpcId,
      ...(ctx.maskedArguments !== undefined && kind === "mcp.request" ? { arguments: ctx.maskedArguments } : {}),
    },
    decision: { ...decision, reason: maskLabelOrNull(decision.reason ?? null, deps.masker, labelCtx) },
    result,
    timings: {
      receivedAt: ctx.receivedAt.toISOString(),
      decidedMs: ctx.decidedMs,
      upstreamMs: ctx.upstreamStarted === null ? null : round(now - ctx.upstreamStarted),
      totalMs: kind === "mcp.request" ? null : round(now - ctx.started),
    },
  };
}

/** The audit view of a (masked) result: inline when small, otherwise digest and size only. */
export function auditResult(masked: unknown, status: Result["status"], counts: Record<string, number>, errorCode: number | null = null): Result {
  const text = canonicalJson(masked ?? null);
  const sizeBytes = Buffer.byteLength(text);
  return {
    status,
    errorCode,
    ...(sizeBytes <= MAX_INLINE_RESULT ? { masked } : {}),
    digest: createHash("sha256").update(text).digest("hex"),
    sizeBytes,
    maskingCounts: counts,
  };
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms * 10) / 10);
}
