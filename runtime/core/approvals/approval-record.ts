/**
 * The approval record: one human decision about one exact tool call (or one JIT grant), kept in
 * Azure Table Storage so every gateway replica sees the same state. The zod schema is the only
 * source of its type; the store parses every entity it reads.
 */
import { z } from "zod";
import { IdentitySchema } from "../identity";
import { NameSchema, NotifyChannelSchema, PrincipalsSchema } from "../policy-model/schema";
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

/** What the gateway saw of the tool in its tools/list (MCP tool annotations), snapshot at request time. */
export const ToolInfoSchema = z.object({
  title: z.string().nullable().default(null),
  description: z.string().default(""),
  destructive: z.boolean().nullable().default(null),
  readOnly: z.boolean().nullable().default(null),
  idempotent: z.boolean().nullable().default(null),
  openWorld: z.boolean().nullable().default(null),
  /** The tool's JSON Schema for its arguments (tools/list `inputSchema`): what an edit is validated against. */
  inputSchema: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ToolInfo = z.infer<typeof ToolInfoSchema>;

/**
 * How an approved call ended, as its response record says (call-recorder.ts): `ok`, `error` (the
 * tool or the upstream failed, or the call was refused before it was forwarded), `withheld` (the
 * result could not be scanned), `blocked` (a result guardrail). `ran`: it reached the upstream.
 */
export const CALL_OUTCOMES = ["ok", "error", "withheld", "blocked"] as const;
export const CallOutcomeSchema = z.object({
  status: z.enum(CALL_OUTCOMES),
  ran: z.boolean(),
  /** The gateway's stable code when it refused or failed (ERR_…), else null. */
  code: z.string().nullable().default(null),
  at: z.string().datetime(),
});
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;

/** Routing of one request, fixed at creation so later bundles do not change who is told. */
export const NotifySnapshotSchema = z.object({
  channels: z.array(NotifyChannelSchema).nullable(),
  group: NameSchema.nullable(),
  remindAt: z.string().datetime().nullable(),
  escalateAt: z.string().datetime().nullable(),
  escalateTo: z.object({ group: NameSchema, channels: z.array(NotifyChannelSchema).nullable() }).nullable(),
});
export type NotifySnapshot = z.infer<typeof NotifySnapshotSchema>;
/**
 * An approver's edit of the held call (issue 20, item 1): the approval then covers the edited
 * arguments only. Hashes are sha256 of the canonical JSON (RFC 8785); arguments and reason masked.
 */
export const ApprovalEditSchema = z.object({
  by: PersonSchema,
  at: z.string().datetime(),
  /** The editor's reason, masked as free text. */
  reason: z.string(),
  /** The hash of the arguments the requester sent (the record's argsHash). */
  originalArgsHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The hash of the arguments that will run: what the approvals of the edited version cover. */
  editedArgsHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The requester's arguments, masked (maskedArgs then holds the edited ones). */
  originalMaskedArgs: z.unknown(),
  /** Top-level argument names the edits changed. */
  changed: z.array(z.string()),
  /** How many edits were made (a second edit resets the approvals again). */
  edits: z.number().int().min(1).default(1),
});
export type ApprovalEdit = z.infer<typeof ApprovalEditSchema>;

// Fields added in round 2 are optional so records stored by an older gateway still parse.
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
  /** The rule that asked for approval, in words (rule-text.ts), as it was when the request was made. */
  ruleText: z.string().optional(),
  /** The requester's reason (tools/call `_meta["gatehouse/reason"]`), masked like the arguments. */
  requesterReason: z.string().nullable().optional(),
  /** The tool's description and annotations, when the gateway had seen them. */
  toolInfo: ToolInfoSchema.nullable().optional(),
  /**
   * Approving needs an explicit confirmation: the tool says it is destructive and not idempotent
   * (an irreversible change). Enforced server-side by decideApproval.
   */
  irreversible: z.boolean().optional(),
  /** When the requester's client stops waiting (the gateway's maximum wait); null = unknown. */
  waitingUntil: z.string().datetime().nullable().optional(),
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
  /** Whether the rule lets approvers edit the call (snapshot of `allowEdit`; absent = true). */
  allowEdit: z.boolean().optional(),
  /**
   * The arguments that would run (the requester's, or the edited ones), sealed with AES-256-GCM
   * under the gateway's key (argument-sealer.ts), so any replica can compose and run an edit
   * without an unmasked copy at rest. Never shown. Absent: the call cannot be edited.
   */
  sealedArgs: z.string().nullable().optional(),
  /** The requester's identity (roles, groups) when the call was held: an edited call is re-decided with it. */
  requesterIdentity: IdentitySchema.optional(),
  /** The approver's edit, when there was one. */
  edit: ApprovalEditSchema.nullable().optional(),
  /** How the approved call ended, once its response record is written; null until then. */
  callOutcome: CallOutcomeSchema.nullable().optional(),
  /** The rule's notification routing when the request was made (issue 20); absent: every configured channel. */
  notify: NotifySnapshotSchema.optional(),
  /** When a replica claimed (ETag) sending the reminder; null: not yet. */
  remindedAt: z.string().datetime().nullable().optional(),
  /** When a replica claimed (ETag) the escalation; null: not yet. */
  escalatedAt: z.string().datetime().nullable().optional(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** The hash of the arguments an approval of this record covers: the edited ones after an edit. */
export function approvedArgsHash(r: ApprovalRecord): string {
  return r.edit?.editedArgsHash ?? r.argsHash;
}

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
    // What an approval now covers (send it back as `argsHash` when approving: approvals/approve).
    currentArgsHash: approvedArgsHash(r),
    // false: the arguments were truncated when stored; approving is refused (approval-size.ts).
    approvable: isReviewable(r),
    ruleId: r.ruleId,
    ruleDescription: r.ruleDescription,
    ruleText: r.ruleText ?? "",
    requesterReason: r.requesterReason ?? null,
    toolInfo: r.toolInfo ?? null,
    irreversible: r.irreversible ?? false,
    waitingUntil: r.waitingUntil ?? null,
    approvers: r.approvers,
    count: r.count,
    approvals: r.approvals,
    rejectedBy: r.rejectedBy,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    decidedAt: r.decidedAt,
    usableUntil: r.usableUntil,
    consumedAt: r.consumedAt,
    callOutcome: r.callOutcome ?? null,
    // Whether an approver may edit it now (rule allows, arguments kept, input schema seen).
    editable: isEditable(r),
    edit: r.edit ?? null,
    url: approvalUrl(publicUrl, r.id),
  };
}

/** An approver may edit this call: a pending tool call whose rule allows edits, with its arguments kept and its input schema seen. */
export function isEditable(r: ApprovalRecord): boolean {
  return (
    r.kind === "tool-call" &&
    r.status === "pending" &&
    r.allowEdit !== false &&
    !!r.sealedArgs &&
    !!r.toolInfo?.inputSchema &&
    !!r.requesterIdentity
  );
}

export function approvalUrl(publicUrl: string, id: string): string {
  // The detail page: a deep link that survives sign-in (the page returns to it afterwards).
  return `${publicUrl.replace(/\/+$/, "")}/approvals/${id}`;
}
