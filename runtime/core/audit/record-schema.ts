/**
 * The audit record: one versioned schema for every event the gateway records.
 *
 * A record is written in two steps. Callers build an `AuditEvent` (everything but the chain
 * fields); the audit chain assigns `id`, `seq`, `prevHash`, `hash`, `chainId` and `time`, and the
 * result is an `AuditRecord`, stored exactly as serialised. Nothing unmasked and no token or
 * secret ever enters a record: callers pass masked arguments and results only.
 */
import { z } from "zod";

export const AUDIT_SCHEMA_VERSION = 1;

export const DECISIONS = [
  "allowed",
  "denied",
  "blocked",
  "approval_requested",
  "approval_approved",
  "approval_rejected",
  "approval_expired",
  "error",
  "info",
] as const;
export const DecisionSchema = z.enum(DECISIONS);
export type Decision = z.infer<typeof DecisionSchema>;

/** What kind of event a record is. */
export const EVENT_KINDS = [
  /** An MCP request arrived and was decided (durable before forwarding). */
  "mcp.request",
  /** The response to an MCP request (durable before the response completes). */
  "mcp.response",
  /** An HTTP request refused before it became an MCP request (auth, host, size, rate). */
  "http.refused",
  "approval.requested",
  "approval.decided",
  "approval.expired",
  "approval.consumed",
  /** The human behind the client confirmed (or declined) a call through MCP elicitation; never an approval. */
  "approval.requester_confirmed",
  "approval.requester_declined",
  /** Nobody decided within the rule's escalation time: a second group was told (issue 20). */
  "approval.escalated",
  "jit.requested",
  "jit.granted",
  "jit.denied",
  "jit.revoked",
  "access_review.decision",
  "evidence.exported",
  "chain.checkpoint",
  "gateway.started",
  "gateway.stopped",
] as const;
export const EventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKindSchema>;

export const ActorSchema = z.object({
  /** Entra object id; null when the request was refused before authentication. */
  oid: z.string().nullable(),
  tenantId: z.string().nullable(),
  username: z.string().nullable(),
  /** The app roles and groups that mattered for the decision. */
  roles: z.array(z.string()).default([]),
  groups: z.array(z.string()).default([]),
  /** How the caller authenticated: Entra, another OIDC provider, a JIT token, or not at all. */
  via: z.enum(["entra", "oidc", "jit", "none"]).default("none"),
  /**
   * Set for machine callers only (client-credentials token, no user), with their client id. No
   * default: records written before this field existed must hash exactly as stored.
   */
  kind: z.literal("app").optional(),
  appId: z.string().optional(),
  clientIp: z.string().nullable().default(null),
  userAgent: z.string().nullable().default(null),
});
export type Actor = z.infer<typeof ActorSchema>;

export const AuditEventSchema = z.object({
  kind: EventKindSchema,
  /** Correlates the request and response records of one call (and approval events). */
  correlationId: z.string().nullable().default(null),
  policyVersion: z.string().nullable(),
  policyCommit: z.string().nullable().default(null),
  actor: ActorSchema,
  session: z
    .object({
      /** A digest of the MCP session id, never the id itself (it is a bearer secret). */
      mcpSession: z.string().nullable().default(null),
      jitGrantId: z.string().nullable().default(null),
    })
    .prefault({}),
  target: z
    .object({
      server: z.string().nullable().default(null),
      agent: z.string().nullable().default(null),
    })
    .prefault({}),
  action: z
    .object({
      /** JSON-RPC method, or the HTTP route for non-MCP events. */
      method: z.string().nullable().default(null),
      /** Tool, resource URI or prompt name. */
      name: z.string().nullable().default(null),
      jsonrpcId: z.union([z.string(), z.number()]).nullable().default(null),
      /** Arguments, masked with the audit policy. */
      arguments: z.unknown().optional(),
    })
    .prefault({}),
  decision: z.object({
    outcome: DecisionSchema,
    ruleId: z.string().nullable().default(null),
    /** Stable error or refusal code (see runtime/core/errors.ts). */
    code: z.string().nullable().default(null),
    reason: z.string().nullable().default(null),
    approvalId: z.string().nullable().default(null),
    /** Approver usernames/oids, for approval events and approved calls. */
    approvers: z.array(z.object({ oid: z.string(), username: z.string().nullable() })).default([]),
  }),
  result: z
    .object({
      status: z.enum(["ok", "error", "withheld", "none"]).default("none"),
      /** JSON-RPC error code or HTTP status, when there is one. */
      errorCode: z.number().nullable().default(null),
      /** The masked result, when small enough; otherwise only its digest and size. */
      masked: z.unknown().optional(),
      /** sha256 of the masked result's canonical JSON. */
      digest: z.string().nullable().default(null),
      sizeBytes: z.number().int().nonnegative().nullable().default(null),
      /** Counts of masked values by entity type; never the values. */
      maskingCounts: z.record(z.string(), z.number().int().nonnegative()).default({}),
    })
    .prefault({}),
  timings: z
    .object({
      receivedAt: z.string().nullable().default(null),
      decidedMs: z.number().nonnegative().nullable().default(null),
      upstreamMs: z.number().nonnegative().nullable().default(null),
      totalMs: z.number().nonnegative().nullable().default(null),
    })
    .prefault({}),
  /** Event-specific details (approval, JIT grant, checkpoint, review decision), masked. */
  details: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditEventInput = z.input<typeof AuditEventSchema>;

export const AuditRecordSchema = AuditEventSchema.extend({
  schemaVersion: z.literal(AUDIT_SCHEMA_VERSION),
  id: z.string().min(1),
  time: z.string().datetime(),
  chainId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  /** Hash of the previous record of this chain; 64 zeros for the first. */
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256(prevHash + canonical JSON of the record without `hash`). */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export const GENESIS_HASH = "0".repeat(64);
