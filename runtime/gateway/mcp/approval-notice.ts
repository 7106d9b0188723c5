/**
 * What the waiting requester is told about its approval (issue 19, item 5): the decision as an MCP
 * `notifications/message` (approved by whom, rejected with the reason, expired, still pending when
 * the gateway stops waiting), and the same facts in the JSON-RPC error's `data` that ends a call
 * that will not run. The approver's reason is masked with the audit copy of the call's pinned
 * masker (the strictest; the client copy may leave values a policy lets tools return) before it
 * reaches the client: an approver may quote the data they judged.
 */
import type { ApprovalOutcome } from "../../core/approvals/approval-coordinator";
import type { Person } from "../../core/approvals/approval-record";
import type { CallContext } from "./call-context";

export interface ApprovalNotice {
  readonly level: "notice" | "warning";
  /** One line a client can show as it is. */
  readonly message: string;
  /** Machine-readable facts: approvalId, status, decidedBy, decidedAt, reason, expiresAt, url. */
  readonly facts: Record<string, unknown>;
}

const name = (p: Person): string => p.username ?? p.oid;

/** The notice for an outcome; `url` is the approval's page when the gateway created the request. */
export function approvalNotice(ctx: CallContext, outcome: ApprovalOutcome, url: string | null): ApprovalNotice {
  const by = outcome.approvers.map(name);
  const base = { approvalId: outcome.approvalId, decidedBy: by, decidedAt: outcome.decidedAt, ...(url ? { url } : {}) };
  switch (outcome.outcome) {
    case "approved":
      return {
        level: "notice",
        message: `Approved by ${by.join(", ") || "an approver"}: the call is forwarded now`,
        facts: { ...base, status: "approved" },
      };
    case "rejected": {
      const reason =
        outcome.reason === null
          ? null
          : ctx.masker.maskText(outcome.reason, { server: ctx.server, tool: ctx.name, copy: "audit" }).value;
      return {
        level: "warning",
        message: `Rejected by ${by.join(", ") || "an approver"}${reason ? `: ${reason}` : ""}. The call did not run`,
        facts: { ...base, status: "rejected", reason },
      };
    }
    case "expired":
      return {
        level: "warning",
        message: `Expired: nobody decided before ${outcome.expiresAt}. The call did not run`,
        facts: { ...base, status: "expired", expiresAt: outcome.expiresAt },
      };
    case "timeout":
      return {
        level: "notice",
        message: `Still pending: the gateway stopped waiting. Retry the identical call once it is approved (the request expires at ${outcome.expiresAt}); see gatehouse approvals show ${outcome.approvalId}`,
        facts: { ...base, status: "pending", expiresAt: outcome.expiresAt },
      };
  }
}
