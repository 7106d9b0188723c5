/**
 * An approver must see everything they approve. A call whose masked arguments are too large to
 * keep in the approval record is refused before any record exists (ERR_APPROVAL_TOO_LARGE):
 * nothing is truncated into an "approve blind" request. Records stored truncated by an older
 * gateway (`maskedArgs._truncated`) are shown as not approvable, and approving one is refused
 * server-side (the API, the page and the CLI all go through decideApproval).
 */
import { GatehouseError } from "../errors";
import type { ApprovalRecord } from "./approval-record";

/** The record's JSON must fit one Table property (64 KiB = 32,768 UTF-16 units) with room for the decisions added later. */
export const MAX_REVIEWABLE_CHARS = 24_000;

export const NOT_APPROVABLE_REASON =
  "The arguments of this request were too large to keep for review, so it cannot be approved: reject it and ask for a smaller call.";

/** Throws ERR_APPROVAL_TOO_LARGE when the record (its masked arguments) cannot be kept whole. */
export function assertReviewable(r: ApprovalRecord): void {
  const size = JSON.stringify(r).length;
  if (size > MAX_REVIEWABLE_CHARS) {
    throw new GatehouseError(
      "ERR_APPROVAL_TOO_LARGE",
      `This call needs an approval, but its arguments are too large for an approver to review (${size} characters masked, at most ${MAX_REVIEWABLE_CHARS}): send smaller arguments`,
      { sizeChars: size, limitChars: MAX_REVIEWABLE_CHARS },
    );
  }
}

/** False for a record whose arguments were truncated when stored (an approver cannot see them). */
export function isReviewable(r: ApprovalRecord): boolean {
  const a = r.maskedArgs;
  return !(typeof a === "object" && a !== null && (a as Record<string, unknown>)._truncated === true);
}
