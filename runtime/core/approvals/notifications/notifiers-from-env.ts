/**
 * Builds the configured notifiers from GATEHOUSE_* variables (each channel optional):
 * GATEHOUSE_TEAMS_WEBHOOK_URL; GATEHOUSE_APPROVAL_WEBHOOK_URL with GATEHOUSE_APPROVAL_WEBHOOK_SECRET;
 * GATEHOUSE_SLACK_WEBHOOK_URL or GATEHOUSE_SLACK_BOT_TOKEN with GATEHOUSE_SLACK_CHANNEL;
 * GATEHOUSE_SMTP_* with GATEHOUSE_EMAIL_FROM/TO; GATEHOUSE_PAGERDUTY_ROUTING_KEY; groups from
 * GATEHOUSE_APPROVER_GROUPS. They are validated with the rest of the gateway's environment
 * (config/notifier-env.ts); this takes the parsed values.
 */
import { GatehouseError } from "../../errors";
import type { NotifierEnv } from "../../config/notifier-env";
import { combineNotifiers, type ApprovalNotifier } from "./notifier";
import { createTeamsNotifier } from "./teams-notifier";
import { createWebhookNotifier } from "./webhook-notifier";
import { createSlackNotifier } from "./slack-notifier";
import { createEmailNotifier } from "./email-notifier";
import { createPagerDutyNotifier } from "./pagerduty-notifier";
import type { RetryOptions } from "./deliver-with-retry";

export function notifiersFromEnv(e: Partial<NotifierEnv>, retry: RetryOptions = {}): ApprovalNotifier {
  const list: ApprovalNotifier[] = [];
  const groups = e.GATEHOUSE_APPROVER_GROUPS;
  if (e.GATEHOUSE_TEAMS_WEBHOOK_URL)
    list.push(createTeamsNotifier({ ...retry, webhookUrl: e.GATEHOUSE_TEAMS_WEBHOOK_URL }));
  if (e.GATEHOUSE_APPROVAL_WEBHOOK_URL) {
    // The schema refuses this at start; kept so a caller that skipped it still fails closed.
    if (!e.GATEHOUSE_APPROVAL_WEBHOOK_SECRET) {
      throw new GatehouseError(
        "ERR_CONFIG_INVALID",
        "GATEHOUSE_APPROVAL_WEBHOOK_SECRET is required with GATEHOUSE_APPROVAL_WEBHOOK_URL",
        { variable: "GATEHOUSE_APPROVAL_WEBHOOK_SECRET" },
      );
    }
    list.push(
      createWebhookNotifier({
        ...retry,
        url: e.GATEHOUSE_APPROVAL_WEBHOOK_URL,
        secret: e.GATEHOUSE_APPROVAL_WEBHOOK_SECRET,
      }),
    );
  }
  if (e.GATEHOUSE_SLACK_WEBHOOK_URL) {
    list.push(createSlackNotifier({ ...retry, webhookUrl: e.GATEHOUSE_SLACK_WEBHOOK_URL }));
  } else if (e.GATEHOUSE_SLACK_BOT_TOKEN && e.GATEHOUSE_SLACK_CHANNEL) {
    list.push(
      createSlackNotifier({
        ...retry,
        botToken: e.GATEHOUSE_SLACK_BOT_TOKEN,
        channel: e.GATEHOUSE_SLACK_CHANNEL,
        apiUrl: e.GATEHOUSE_SLACK_API_URL,
        groups,
      }),
    );
  }
  if (e.GATEHOUSE_SMTP_HOST && e.GATEHOUSE_EMAIL_FROM) {
    list.push(
      createEmailNotifier({
        ...retry,
        host: e.GATEHOUSE_SMTP_HOST,
        port: e.GATEHOUSE_SMTP_PORT ?? 587,
        tls: e.GATEHOUSE_SMTP_TLS ?? "starttls",
        auth: e.GATEHOUSE_SMTP_USER ? { user: e.GATEHOUSE_SMTP_USER, pass: e.GATEHOUSE_SMTP_PASSWORD } : undefined,
        from: e.GATEHOUSE_EMAIL_FROM,
        to: e.GATEHOUSE_EMAIL_TO,
        groups,
      }),
    );
  }
  if (e.GATEHOUSE_PAGERDUTY_ROUTING_KEY) {
    list.push(
      createPagerDutyNotifier({
        ...retry,
        routingKey: e.GATEHOUSE_PAGERDUTY_ROUTING_KEY,
        eventsUrl: e.GATEHOUSE_PAGERDUTY_EVENTS_URL,
      }),
    );
  }
  return combineNotifiers(list);
}
