/**
 * An approved call that an approver edited (issue 20, item 1) runs with the edited arguments: the
 * one case where the upstream executes something other than what the client sent. Before that the
 * policy decides the edited call again, for this requester, with the bundle pinned to this call
 * (fail closed: a bundle reloaded since the edit may forbid it). The client's message is changed
 * in place, so the gateway re-serializes it with the same message id, the request record carries
 * the edited arguments (masked) and the result tells the requester (edited-result.ts).
 */
import { GatehouseError } from "../../core/errors";
import type { EditedCall } from "../../core/approvals/edited-call";
import type { JsonRpcMessage } from "../../core/mcp/jsonrpc";
import type { CallContext } from "./call-context";

/** Applies the edit to the held message, or returns the refusal when the policy no longer allows it. */
export function resumeEditedCall(
  ctx: CallContext,
  msg: Extract<JsonRpcMessage, { kind: "request" }>,
  ruleId: string,
  edited: EditedCall,
): GatehouseError | null {
  const params = (msg.message.params ?? {}) as Record<string, unknown>;
  const decision = ctx.policy.decide(ctx.identity, ctx.server, {
    method: msg.message.method,
    params: { ...params, arguments: edited.arguments },
  });
  if (
    decision.effect === "deny" ||
    decision.effect === "block" ||
    (decision.effect === "approval" && decision.rule.id !== ruleId)
  ) {
    return new GatehouseError("ERR_EDIT_DENIED", "the policy no longer allows the edited call: nothing was run", {
      policyCode: decision.effect === "approval" ? "ERR_APPROVAL_REQUIRED" : decision.code,
      ruleId: decision.ruleId,
      edited: edited.facts,
    });
  }
  // The same params object the forwarded message holds (post-handler.ts copies the message shallowly).
  params.arguments = edited.arguments;
  msg.message.params = params;
  ctx.maskedArguments = edited.maskedArguments;
  ctx.edited = edited.facts;
  return null;
}
