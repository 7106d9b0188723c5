/**
 * The call an edited approval covers, for the replica that runs it: the edited arguments opened
 * from the record and checked against the hash the approvals were given for. Anything that does
 * not open or match is refused (fail closed): the upstream never runs arguments nobody approved.
 */
import { canonicalSha256 } from "../policy-model/canonical-json";
import { GatehouseError } from "../errors";
import type { ApprovalRecord } from "./approval-record";
import type { ArgumentSealer } from "./argument-sealer";

/** What the requester is told about an edit (`_meta["gatehouse/edited"]` of the result). */
export interface EditedFacts {
  /** The editor's username (or oid). */
  readonly by: string;
  /** The editor's reason, masked. */
  readonly reason: string;
  readonly originalHash: string;
  readonly editedHash: string;
}

export interface EditedCall {
  readonly arguments: Record<string, unknown>;
  /** The edited arguments as the audit trail keeps them. */
  readonly maskedArguments: unknown;
  readonly facts: EditedFacts;
}

/** The edited call of an approved record, or null when it was not edited. */
export function editedCallOf(r: ApprovalRecord, sealer: ArgumentSealer | undefined): EditedCall | null {
  if (!r.edit) return null;
  const opened = sealer && r.sealedArgs ? sealer.open(r.id, r.sealedArgs) : null;
  const value = opened?.value;
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    canonicalSha256(value) !== r.edit.editedArgsHash
  ) {
    throw new GatehouseError(
      "ERR_EDIT_UNAVAILABLE",
      "the approved call was edited, but this gateway cannot open the edited arguments: nothing was run",
      { approvalId: r.id },
    );
  }
  return {
    arguments: value as Record<string, unknown>,
    maskedArguments: r.maskedArgs,
    facts: {
      by: r.edit.by.username ?? r.edit.by.oid,
      reason: r.edit.reason,
      originalHash: r.edit.originalArgsHash,
      editedHash: r.edit.editedArgsHash,
    },
  };
}
