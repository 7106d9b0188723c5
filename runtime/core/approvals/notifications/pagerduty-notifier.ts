/**
 * PagerDuty Events v2: a `trigger` when a request is held (dedup_key = the approval id, so a
 * reminder or an escalation updates the same alert instead of opening another), and a `resolve`
 * with the same key once the request is approved, rejected or expired. The routing key is a
 * secret: it travels only in the body, which is never logged.
 */
import type { ApprovalNotification, ApprovalNotifier, ApprovalSettled } from "./notifier";
import { approversText, headline } from "./notification-of";
import { deliverWithRetry, DeliveryTracker, type RetryOptions } from "./deliver-with-retry";

export interface PagerDutyNotifierOptions extends RetryOptions {
  readonly routingKey: string;
  /** @default https://events.pagerduty.com/v2/enqueue */
  readonly eventsUrl?: string;
}

export function pagerDutyTrigger(routingKey: string, n: ApprovalNotification): Record<string, unknown> {
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: n.approvalId,
    payload: {
      summary: headline(n).slice(0, 1024),
      source: "gatehouse",
      severity: n.event === "escalated" ? "critical" : "warning",
      component: n.server,
      group: n.ruleId,
      class: "approval",
      custom_details: {
        requester: n.requester,
        server: n.server,
        tool: n.tool,
        rule: n.ruleText ?? n.ruleId,
        approversNeeded: approversText(n),
        expiresAt: n.expiresAt,
        event: n.event ?? "requested",
        ...(n.group ? { group: n.group } : {}),
      },
    },
    client: "Gatehouse",
    client_url: n.url,
    links: [{ href: n.url, text: "Open the request" }],
  };
}

export function pagerDutyResolve(routingKey: string, s: ApprovalSettled): Record<string, unknown> {
  return { routing_key: routingKey, event_action: "resolve", dedup_key: s.approvalId };
}

export function createPagerDutyNotifier(opts: PagerDutyNotifierOptions): ApprovalNotifier {
  const tracker = new DeliveryTracker();
  const url = opts.eventsUrl ?? "https://events.pagerduty.com/v2/enqueue";
  const send = (approvalId: string, payload: Record<string, unknown>): void => {
    const body = JSON.stringify(payload);
    tracker.start(
      deliverWithRetry({ channel: "pagerduty", approvalId, url, request: () => ({ body, headers: {} }) }, opts),
    );
  };
  return {
    channel: "pagerduty",
    notify: (n) => send(n.approvalId, pagerDutyTrigger(opts.routingKey, n)),
    settled: (s) => send(s.approvalId, pagerDutyResolve(opts.routingKey, s)),
    drain: () => tracker.drain(),
  };
}
