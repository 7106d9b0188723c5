/** The API's and the page's way to edit a held call: the core transition with this gateway's edit pieces. */
import type { ApprovalRecord } from "../../core/approvals/approval-record";
import { editApproval, type EditInput } from "../../core/approvals/approval-edit";
import { GatehouseError } from "../../core/errors";
import type { ApprovalsContext } from "./approvals-context";

export async function editCall(ctx: ApprovalsContext, input: EditInput): Promise<ApprovalRecord> {
  const edits = ctx.deps.edits;
  if (!edits)
    throw new GatehouseError(
      "ERR_EDIT_UNAVAILABLE",
      "this gateway is not configured for edits: approve or reject the call as it is",
      {
        approvalId: input.id,
      },
    );
  return editApproval({ ...ctx.transitions, ...edits }, input);
}
