/**
 * A rule's notification routing fixed on the request when it is made (issue 20): the channels and
 * group to tell, and the instants of the reminder and the escalation, so every replica's scanner
 * (approval-reminders.ts) acts on the same plan whatever the bundle says later.
 */
import type { ApprovalRule } from "../../policy-model/schema";
import type { NotifySnapshot } from "../approval-record";

export function notifySnapshot(rule: ApprovalRule, createdAt: Date, expiresAt: Date): NotifySnapshot | undefined {
  const n = rule.notify;
  if (!n) return undefined;
  const at = (ms: number): string | null =>
    ms > createdAt.getTime() && ms < expiresAt.getTime() ? new Date(ms).toISOString() : null;
  return {
    channels: n.channels ? [...n.channels] : null,
    group: n.group ?? null,
    // A reminder or escalation that would fall before the request or after its expiry never happens.
    remindAt: n.remindBeforeSeconds ? at(expiresAt.getTime() - n.remindBeforeSeconds * 1000) : null,
    escalateAt: n.escalation ? at(createdAt.getTime() + n.escalation.afterSeconds * 1000) : null,
    escalateTo: n.escalation
      ? { group: n.escalation.group, channels: n.escalation.channels ? [...n.escalation.channels] : null }
      : null,
  };
}
