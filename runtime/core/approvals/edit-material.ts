/**
 * What a held call's record needs so an approver can edit it (issue 20, item 1): the rule's
 * `allowEdit`, the tool's input schema, the requester's identity (the edited call is decided
 * again for them) and the arguments, sealed (argument-sealer.ts). Added only when the rule allows
 * edits (never with a requester's confirmation) and the record still fits the reviewable size: a large call stays approvable, not editable.
 */
import type { Identity } from "../identity";
import type { ApprovalRule } from "../policy-model/schema";
import type { ApprovalRecord } from "./approval-record";
import { MAX_REVIEWABLE_CHARS } from "./approval-size";
import type { ArgumentSealer } from "./argument-sealer";

export function withEditMaterial(
  record: ApprovalRecord,
  opts: {
    identity: Identity;
    args: unknown;
    rule: ApprovalRule;
    sealer: ArgumentSealer | undefined;
    inputSchema: Record<string, unknown> | null | undefined;
  },
): ApprovalRecord {
  // A rule that has the requester confirm the call (`confirm: "requester"`) is not editable: the
  // requester confirmed these exact arguments, and an edit would run arguments nobody behind the
  // client ever confirmed.
  const allowEdit = opts.rule.allowEdit !== false && opts.rule.confirm !== "requester";
  const base: ApprovalRecord = { ...record, allowEdit };
  if (!allowEdit || record.kind !== "tool-call" || !opts.sealer || !opts.inputSchema || !record.toolInfo) return base;
  const full: ApprovalRecord = {
    ...base,
    toolInfo: { ...record.toolInfo, inputSchema: opts.inputSchema },
    requesterIdentity: opts.identity,
    sealedArgs: opts.sealer.seal(record.id, opts.args),
  };
  return JSON.stringify(full).length <= MAX_REVIEWABLE_CHARS ? full : base;
}
