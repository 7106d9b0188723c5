/**
 * A tools/call whose decision is "approval": handed to the ApprovalCoordinator, which records the
 * approval request and waits. While it waits, a client that accepts SSE gets a notice (and
 * progress, when it sent a progressToken) so it can show the pending approval and keep its timer
 * alive; then a notice of the decision (approval-notice.ts), and a call that will not run ends
 * with a JSON-RPC error carrying the same facts. An approved call's recorder notes how the call
 * ended on the approval record. Without a coordinator the call is refused — never silently allowed.
 *
 * Before it is held, what the rule asks of the requester (a reason, their own confirmation) is
 * gathered (requester-input.ts); a `requester-only` rule needs nothing more.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ApprovalCoordinator } from "../../core/approvals/approval-coordinator";
import { GatehouseError } from "../../core/errors";
import { logger } from "../../core/telemetry/logger";
import type { JsonRpcMessage } from "../../core/mcp/jsonrpc";
import type { PolicyDecision } from "../../core/policy/policy-engine";
import { approvalNotice } from "./approval-notice";
import type { Call } from "./call-context";
import type { ElicitationDeps } from "./gateway-elicitation";
import { gatherRequesterInput } from "./requester-input";
import { resumeEditedCall } from "./edited-call-resume";

type ApprovalDecision = Extract<PolicyDecision, { effect: "approval" }>;
export interface ApprovalGranted {
  /** Null when the rule needs only the requester's confirmation (no approval record). */
  approvalId: string | null;
  approvers: { oid: string; username: string | null }[];
}

export interface ApprovalWaitOptions {
  /** Absent: approval rules refuse (ERR_APPROVAL_REQUIRED). */
  readonly approvals: Pick<ApprovalCoordinator, "requestAndWait"> | null | undefined;
  /** Interval of the notices that keep the client's timer alive (at most 10 s). */
  readonly keepAliveMs: number;
  /** The gateway's own questions to the requester (reason, confirmation); absent: it asks none. */
  readonly elicitation?: Partial<ElicitationDeps>;
}

/** The approval, or null when the call was refused (recorded and answered here). */
export async function awaitApproval(
  call: Call,
  opts: ApprovalWaitOptions,
  headers: IncomingHttpHeaders,
  msg: JsonRpcMessage,
  decision: ApprovalDecision,
): Promise<ApprovalGranted | null> {
  const { ctx, recorder, response } = call;
  const id = msg.kind === "request" ? msg.message.id : null;
  const refuse = async (
    err: GatehouseError,
    outcome: "denied" | "approval_rejected" | "approval_expired",
    extra = {},
  ) => {
    await recorder.refusal(err, outcome, decision.rule.id, extra);
    response.reject(err, id);
  };
  const requesterOnly = decision.rule.confirm === "requester-only";
  // Nobody is asked anything for a call that could not be held anyway.
  if ((!opts.approvals && !requesterOnly) || msg.kind !== "request") {
    await refuse(
      new GatehouseError(
        "ERR_APPROVAL_REQUIRED",
        `Approval required by rule ${decision.rule.id}: this gateway has no approvals service configured, so the call is refused`,
        { ruleId: decision.rule.id },
      ),
      "denied",
    );
    return null;
  }
  const input = await gatherRequesterInput(
    call,
    opts.elicitation ?? {},
    headers,
    msg.message.params ?? {},
    decision.rule,
  );
  if (!input) return null;
  if (requesterOnly) return { approvalId: null, approvers: [] };
  // Refused above; thrown (recorded and answered by the POST handler) should that ever change.
  if (!opts.approvals)
    throw new GatehouseError("ERR_APPROVAL_REQUIRED", `Approval required by rule ${decision.rule.id}`);
  const params = msg.message.params ?? {};
  const meta = params._meta as Record<string, unknown> | undefined;
  const progressToken = meta?.progressToken;
  const acceptsSse = String(headers.accept ?? "").includes("text/event-stream");
  const controller = new AbortController();
  const onClose = () => controller.abort();
  response.res.on("close", onClose);
  let ticker: NodeJS.Timeout | null = null;
  let url: string | null = null;
  let ticks = 0;
  // Everything the client hears while the call is held goes on the call's SSE stream, when it accepts one.
  const tell = async (level: "notice" | "warning", data: Record<string, unknown>): Promise<void> => {
    if (!acceptsSse || response.finished) return;
    response.openStream();
    await response.event({
      jsonrpc: "2.0",
      method: "notifications/message",
      params: { level, logger: "gatehouse", data },
    });
    if (progressToken !== undefined)
      await response.event({
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken, progress: ++ticks, message: String(data.message) },
      });
  };
  try {
    const outcome = await opts.approvals.requestAndWait({
      identity: ctx.identity,
      server: ctx.server,
      tool: ctx.name ?? "",
      args: params.arguments ?? {},
      maskedArgs: ctx.maskedArguments ?? {},
      // The requester's reason, masked like the arguments (nothing unmasked is stored).
      reason: input.reason,
      rule: decision.rule,
      correlationId: ctx.correlationId,
      signal: controller.signal,
      onPending: (pending) => {
        url = pending.url;
        if (!acceptsSse) return;
        void tell("notice", {
          message: `This call is waiting for approval (expires at ${pending.expiresAt})`,
          approvalId: pending.approvalId,
          url: pending.url,
          status: "pending",
          expiresAt: pending.expiresAt,
        });
        ticker = setInterval(
          () => {
            if (progressToken !== undefined)
              void response.event({
                jsonrpc: "2.0",
                method: "notifications/progress",
                params: {
                  progressToken,
                  progress: ++ticks,
                  message: `waiting for approval (expires at ${pending.expiresAt})`,
                },
              });
            else void response.write(": waiting for approval\n\n");
          },
          Math.min(opts.keepAliveMs, 10_000),
        );
      },
    });
    if (ticker) clearInterval(ticker);
    const notice = approvalNotice(ctx, outcome, url);
    // A held call hears the decision; an identical retry that reuses an approval proceeds as before.
    const edited = outcome.outcome === "approved" ? outcome.edited : null;
    if (url !== null)
      await tell(notice.level, {
        message: notice.message,
        ...notice.facts,
        ...(edited ? { edited: edited.facts } : {}),
      });
    if (outcome.outcome === "approved") {
      // An approver edited the call: it runs with the edited arguments, if the policy still allows them.
      const refused = edited ? resumeEditedCall(ctx, msg, decision.rule.id, edited) : null;
      if (refused) {
        await refuse(refused, "denied", { approvalId: outcome.approvalId, approvers: outcome.approvers });
        // The approval record says the approved call did not run, and why (logged if it cannot).
        await outcome.markOutcome({ status: "error", ran: false, code: refused.code }).catch((e: unknown) =>
          logger.warn("the outcome of a refused edited call was not noted on its approval", {
            approvalId: outcome.approvalId,
            code: e instanceof GatehouseError ? e.code : "ERR_INTERNAL",
          }),
        );
        return null;
      }
      recorder.onOutcome(outcome.markOutcome);
      return { approvalId: outcome.approvalId, approvers: outcome.approvers };
    }
    const code =
      outcome.outcome === "rejected"
        ? "ERR_APPROVAL_REJECTED"
        : outcome.outcome === "expired"
          ? "ERR_APPROVAL_EXPIRED"
          : "ERR_APPROVAL_PENDING";
    await refuse(
      new GatehouseError(code, `Approval ${outcome.approvalId}: ${notice.message}`, notice.facts),
      outcome.outcome === "rejected"
        ? "approval_rejected"
        : outcome.outcome === "expired"
          ? "approval_expired"
          : "denied",
      {
        approvalId: outcome.approvalId,
        approvers: outcome.approvers,
      },
    );
    return null;
  } finally {
    if (ticker) clearInterval(ticker);
    response.res.off("close", onClose);
  }
}
