/**
 * The `details` fields of audit records that the evidence reports rely on. `details` is free-form
 * in the record schema; this file is the contract between the writers (gateway, approvals and JIT
 * code, the access-review recorder) and the reports, documented in docs/evidence.md.
 *
 * Every field is optional and tolerant (`catch`): a record written before a field existed still
 * parses, and a report falls back to the record's own columns (actor, decision, session) first.
 */
import { z } from "zod";
import type { AuditRecord } from "../audit/record-schema";

const Text = z.string().optional().catch(undefined);
const Num = z.number().optional().catch(undefined);
export const PrincipalRefSchema = z.object({ oid: z.string(), username: z.string().nullable().default(null) });
export type PrincipalRef = z.infer<typeof PrincipalRefSchema>;
const Principal = PrincipalRefSchema.optional().catch(undefined);

/**
 * approval.requested | approval.decided | approval.expired | approval.consumed.
 * The approval id is `decision.approvalId`; the call it gates is `correlationId`.
 */
export const ApprovalDetailsSchema = z.object({
  /** Who asked (approval.decided/consumed are written by someone else: the approver, the gateway). */
  requester: Principal,
  /** sha256 of the canonical (unmasked-then-hashed) arguments the approval is bound to. */
  argsHash: Text,
  /** When an undecided request expires (approval.requested). */
  expiresAt: Text,
  /** The requester's reason for the call. */
  justification: Text,
  /** The approval rule (also `decision.ruleId`). */
  ruleId: Text,
  /** approval.consumed: the correlation id of the call that used the approval (a retry has a new one). */
  consumedBy: Text,
  /** approval.decided: `approve` or `reject` (a partial approval has outcome `info`). */
  action: Text,
  /** `tool-call` or `jit`. */
  approvalKind: Text,
});
export type ApprovalDetails = z.infer<typeof ApprovalDetailsSchema>;

/**
 * jit.requested | jit.granted | jit.denied | jit.revoked. The grant id is `session.jitGrantId`
 * (or details.grantId); the access rule is details.ruleId (or `decision.ruleId`).
 */
export const JitDetailsSchema = z.object({
  grantId: Text,
  ruleId: Text,
  server: Text,
  /** Requested or granted duration in minutes. */
  minutes: Num,
  expiresAt: Text,
  reason: Text,
  requester: Principal,
  /** jit.revoked: whose grant it was. */
  holder: Principal,
});
export type JitDetails = z.infer<typeof JitDetailsSchema>;

/** mcp.request (tools/call): optional fields the gateway may add. */
export const CallDetailsSchema = z.object({
  justification: Text,
  /** The access rule that allowed the call when `decision.ruleId` names an approval rule. */
  accessRuleId: Text,
});
export type CallDetails = z.infer<typeof CallDetailsSchema>;

/** access_review.decision, written by `gatehouse evidence access-review --record`. */
export const AccessReviewDetailsSchema = z.object({
  entitlementId: z.string(),
  server: z.string(),
  ruleId: z.string(),
  principal: z.string(),
  decision: z.enum(["keep", "remove"]),
  reviewer: PrincipalRefSchema,
  reason: z.string(),
  reviewedAt: z.string(),
});
export type AccessReviewDetails = z.infer<typeof AccessReviewDetailsSchema>;

export function approvalDetails(r: AuditRecord): ApprovalDetails {
  return ApprovalDetailsSchema.parse(r.details ?? {});
}

export function jitDetails(r: AuditRecord): JitDetails {
  return JitDetailsSchema.parse(r.details ?? {});
}

export function callDetails(r: AuditRecord): CallDetails {
  return CallDetailsSchema.parse(r.details ?? {});
}

export function accessReviewDetails(r: AuditRecord): AccessReviewDetails | null {
  const parsed = AccessReviewDetailsSchema.safeParse(r.details ?? {});
  return parsed.success ? parsed.data : null;
}
