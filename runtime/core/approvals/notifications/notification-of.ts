/**
 * Builds what every channel says about one approval request from its record: the same masked
 * summary everywhere. Names a caller chose (tool, server) and the rule in words go through
 * maskLabel (every built-in detector), so a card number in a tool name never reaches a chat room.
 * Arguments and the requester's reason are never part of a notification. The requester is named by
 * the authenticated identity's username, as the audit trail's actor.
 */
import { maskLabel } from "../../masking/mask-label";
import { approvalUrl, type ApprovalRecord } from "../approval-record";
import type { ApprovalEvent, ApprovalNotification } from "./notifier";

export function notificationOf(
  r: ApprovalRecord,
  publicUrl: string,
  event: ApprovalEvent = "requested",
): ApprovalNotification {
  const escalateTo = event === "escalated" ? (r.notify?.escalateTo ?? null) : null;
  return {
    approvalId: r.id,
    kind: r.kind,
    url: approvalUrl(publicUrl, r.id),
    requester: r.requester.username ?? r.requester.oid,
    server: maskLabel(r.server),
    tool: maskLabel(r.tool),
    ruleId: r.ruleId,
    count: r.count,
    approvers: { roles: [...r.approvers.roles], groups: [...r.approvers.groups] },
    expiresAt: r.expiresAt,
    event,
    ruleText: r.ruleText ? maskLabel(r.ruleText) : undefined,
    group: escalateTo ? escalateTo.group : (r.notify?.group ?? null),
    channels: escalateTo ? (escalateTo.channels ?? r.notify?.channels ?? null) : (r.notify?.channels ?? null),
  };
}

/** The message's first line, by event and kind. */
export function headline(n: ApprovalNotification): string {
  const what = n.kind === "jit" ? "A just-in-time access request" : `A call to ${n.tool} on ${n.server}`;
  switch (n.event ?? "requested") {
    case "reminder":
      return `Reminder: ${what} still needs approval (expires ${n.expiresAt})`;
    case "escalated":
      return `Escalated: nobody has decided — ${what} needs approval`;
    default:
      return `${what} needs approval`;
  }
}

/** "1 (role Approver)" — how many approvers and who may approve. */
export function approversText(n: ApprovalNotification): string {
  const who = [...n.approvers.roles.map((r) => `role ${r}`), ...n.approvers.groups.map((g) => `group ${g}`)].join(", ");
  return `${n.count} (${who || "none configured"})`;
}
