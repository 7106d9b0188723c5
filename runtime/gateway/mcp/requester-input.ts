/**
 * What an approval rule asks of the requester before a call is held (issue 19 item 1, issue 20
 * item 3): a reason for the approvers, from `_meta["gatehouse/reason"]` or, when the client
 * declared the `elicitation` capability at initialize (session-envelope.ts), asked through
 * elicitation; and the requester's own confirmation, asked through elicitation only. The
 * confirmation is recorded as its own decision (approval.requester_confirmed / _declined) and is
 * never an approval: approvers are counted on the approval record alone.
 */
import type { IncomingHttpHeaders } from "node:http";
import { REQUESTER_REASON } from "../../core/approvals/approval-coordinator";
import { GatehouseError } from "../../core/errors";
import type { ApprovalRule } from "../../core/policy-model/schema";
import type { Call } from "./call-context";
import { askRequester, type ElicitationDeps } from "./gateway-elicitation";

export interface RequesterInput {
  /** The requester's reason, masked; null when none was given (and none was required). */
  readonly reason: string | null;
}

const REASON_WAYS = `send it as _meta["gatehouse/reason"] of the tools/call, or use a client that supports MCP elicitation so the gateway can ask for it (${REQUESTER_REASON.min}-${REQUESTER_REASON.max} characters)`;

/** The rule's requirements met, or null when the call was refused (recorded and answered here). */
export async function gatherRequesterInput(
  call: Call,
  deps: Partial<ElicitationDeps>,
  headers: IncomingHttpHeaders,
  params: Record<string, unknown>,
  rule: ApprovalRule,
): Promise<RequesterInput | null> {
  const { ctx, recorder, response } = call;
  const refuse = async (err: GatehouseError): Promise<null> => {
    await recorder.refusal(err, "denied", rule.id);
    response.reject(err, ctx.jsonrpcId);
    return null;
  };
  const maskCtx = { server: ctx.server, tool: ctx.name, copy: "audit" as const };
  const meta = params._meta as Record<string, unknown> | undefined;
  let reason =
    typeof meta?.["gatehouse/reason"] === "string"
      ? usable(ctx.masker.maskText(meta["gatehouse/reason"], maskCtx).value)
      : null;
  // The gateway can ask only a client that said it answers, on a stream it can write to.
  const asker =
    ctx.clientElicitation &&
    String(headers.accept ?? "").includes("text/event-stream") &&
    deps.elicitations &&
    deps.sessions
      ? { ...deps, elicitations: deps.elicitations, sessions: deps.sessions }
      : null;

  if (rule.requireReason && reason === null) {
    if (!asker)
      return refuse(
        new GatehouseError("ERR_APPROVAL_REASON_REQUIRED", `Approval rule ${rule.id} needs a reason: ${REASON_WAYS}`, {
          ruleId: rule.id,
        }),
      );
    const answer = await askRequester(call, asker, {
      purpose: "reason",
      ruleId: rule.id,
      message: `Approval rule ${rule.id} needs a reason for calling ${ctx.name ?? "this tool"} on ${ctx.server}: approvers will read it.`,
      requestedSchema: {
        type: "object",
        properties: {
          reason: {
            type: "string",
            title: "Reason",
            description: "Why this call is needed (shown to the approvers)",
            minLength: REQUESTER_REASON.min,
            maxLength: REQUESTER_REASON.max,
          },
        },
        required: ["reason"],
      },
    });
    reason = answer?.action === "accept" ? usable(answer.reason) : null;
    if (reason === null)
      return refuse(
        new GatehouseError(
          "ERR_APPROVAL_REASON_REQUIRED",
          `Approval rule ${rule.id} needs a reason and none was given (${answer ? `the requester chose ${answer.action}` : "no answer in time"})`,
          { ruleId: rule.id, elicitation: answer?.action ?? "no-answer" },
        ),
      );
  }

  if (rule.confirm) {
    if (!asker)
      return refuse(
        new GatehouseError(
          "ERR_REQUESTER_CONFIRMATION_REQUIRED",
          `Approval rule ${rule.id} needs the requester's own confirmation, asked through MCP elicitation: this client did not declare the elicitation capability at initialize (or does not accept an SSE answer)`,
          { ruleId: rule.id },
        ),
      );
    const answer = await askRequester(call, asker, {
      purpose: "confirm",
      ruleId: rule.id,
      // The masked (audit) copy of the arguments: the client is told nothing the audit trail would not keep.
      message: `Approval rule ${rule.id} asks you to confirm this call: ${ctx.name ?? "?"} on ${ctx.server} with arguments ${JSON.stringify(ctx.maskedArguments ?? {})}`,
      requestedSchema: {
        type: "object",
        properties: {
          confirm: { type: "boolean", title: "Confirm", description: "Run this call", default: false },
        },
        required: ["confirm"],
      },
    });
    const confirmed = answer?.action === "accept" && answer.confirm === true;
    const said = answer
      ? answer.action === "accept"
        ? `confirm=${String(answer.confirm)}`
        : answer.action
      : "no-answer";
    const decision = {
      outcome: confirmed ? ("allowed" as const) : ("denied" as const),
      ruleId: rule.id,
      code: confirmed ? null : "ERR_REQUESTER_DECLINED",
      reason: confirmed ? "the requester confirmed the call" : `the requester did not confirm the call (${said})`,
    };
    // A confirmation lets the call go on only once it is durable; a refusal is recorded best effort.
    await recorder.requesterDecision(
      confirmed ? "approval.requester_confirmed" : "approval.requester_declined",
      decision,
      { durable: confirmed, details: { ruleId: rule.id, answer: said, reason } },
    );
    if (!confirmed)
      return refuse(
        new GatehouseError(
          "ERR_REQUESTER_DECLINED",
          `Approval rule ${rule.id} needs the requester's confirmation, and it was not given (${said})`,
          { ruleId: rule.id, elicitation: said },
        ),
      );
  }
  return { reason };
}

/** A reason is 3-500 characters once trimmed; shorter is no reason. */
function usable(reason: string | null): string | null {
  const trimmed = reason?.trim() ?? "";
  return trimmed.length >= REQUESTER_REASON.min ? trimmed.slice(0, REQUESTER_REASON.max) : null;
}
