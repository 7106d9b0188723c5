/**
 * The approval record: one human decision about one exact tool call (or one JIT grant), kept in
 * Azure Table Storage so every gateway replica sees the same state. The zod schema is the only
 * source of its type; the store parses every entity it reads.
 */
import { z } from "zod";
import { PrincipalsSchema } from "../../../policies/schema";
import { isReviewable } from "./approval-size";

export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "expired"] as const;
export const ApprovalStatusSchema = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

export const PersonSchema = z.object({ oid: z.string().min(1), username: z.string().nullable() });
export type Person = z.infer<typeof PersonSchema>;

export const ApproverDecisionSchema = PersonSchema.extend({
  at: z.string().datetime(),
  reason: z.string().nullable(),
});
export type ApproverDecision = z.infer<typeof ApproverDecisionSchema>;

export const ApprovalRecordSchema = z.object({
  id: z.string().uuid(),
  /** `tool-call`: a held tools/call; `jit`: a just-in-time session whose rule needs approval. */
  kind: z.enum(["tool-call", "jit"]),
  status: ApprovalStatusSchema,
  requester: PersonSchema.extend({ tenantId: z.string().min(1) }),
  server: z.string().min(1),
  tool: z.string().min(1),
  /** sha256 of the canonical JSON (RFC 8785) of the exact arguments: what the approval covers. */
  argsHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Arguments as masked by the gateway's audit policy; the only copy approvers ever see. */
  maskedArgs: z.unknown(),
  ruleId: z.string().min(1),
  ruleDescription: z.string().default(""),
  /** Who may approve (snapshot of the rule when the request was made) and how many are needed. */
  approvers: PrincipalsSchema,
  count: z.number().int().min(1),
  approvals: z.array(ApproverDecisionSchema).default([]),
  rejectedBy: ApproverDecisionSchema.nullable().default(null),
  correlationId: z.string().nullable().default(null),
  createdAt: z.string().datetime(),
  /** Undecided after this instant means expired, which means deny. */
  expiresAt: z.string().datetime(),
  decidedAt: z.string().datetime().nullable().default(null),
  /** An approved record may be used (consumed) until this instant, once. */
  usableUntil: z.string().datetime().nullable().default(null),
  consumedAt: z.string().datetime().nullable().default(null),
  consumedBy: z.string().nullable().default(null),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** What an API caller or the page may see of a record (no hashes of secrets beyond argsHash). */
export function approvalView(r: ApprovalRecord, publicUrl: string): Record<string, unknown> {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    requester: { oid: r.requester.oid, username: r.requester.username },
    server: r.server,
    tool: r.tool,
    arguments: r.maskedArgs,
    argsHash: r.argsHash,
    // false: the arguments were truncated when stored; approving is refused (approval-size.ts).
    approvable: isReviewable(r),
    ruleId: r.ruleId,
    ruleDescription: r.ruleDescription,
    approvers: r.approvers,
    count: r.count,
    approvals: r.approvals,
    rejectedBy: r.rejectedBy,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    decidedAt: r.decidedAt,
    consumedAt: r.consumedAt,
    url: approvalUrl(publicUrl, r.id),
  };
}

export function approvalUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/approvals#approval-${id}`;
}
