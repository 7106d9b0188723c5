/**
 * Slack: an incoming webhook, or a bot token posting with chat.postMessage (a group's channel).
 * The Block Kit message carries the masked summary and one link button that OPENS the approval
 * page: decisions are taken only there or through the API, signed in. There is no interaction
 * endpoint; every text is plain_text, so a name cannot inject Slack markup or links.
 */
import type { ApproverGroups } from "../../config/notifier-env";
import type { ApprovalNotification, ApprovalNotifier } from "./notifier";
import { approversText, headline } from "./notification-of";
import { deliverWithRetry, DeliveryTracker, type RetryOptions } from "./deliver-with-retry";

export type SlackNotifierOptions = RetryOptions &
  (
    | { readonly webhookUrl: string }
    | {
        readonly botToken: string;
        /** Default channel; a group's slackChannel overrides it. */
        readonly channel: string;
        /** @default https://slack.com/api */
        readonly apiUrl?: string;
        /** @default - none: every request goes to `channel` */
        readonly groups?: ApproverGroups;
      }
  );

const plain = (text: string) => ({ type: "plain_text", text: text.slice(0, 2900), emoji: false });

export function slackMessage(n: ApprovalNotification): { text: string; blocks: unknown[] } {
  const title = headline(n);
  const fields = [
    `Requested by: ${n.requester}`,
    `Server: ${n.server}`,
    `Tool: ${n.tool}`,
    `Approvers needed: ${approversText(n)}`,
    `Expires: ${n.expiresAt}`,
    `Approval id: ${n.approvalId}`,
    ...(n.group ? [`Group: ${n.group}`] : []),
  ];
  return {
    text: title,
    blocks: [
      { type: "header", text: plain(title.slice(0, 150)) },
      { type: "section", fields: fields.map(plain) },
      ...(n.ruleText ? [{ type: "section", text: plain(`Rule ${n.ruleId}: ${n.ruleText}`) }] : []),
      {
        type: "actions",
        elements: [
          { type: "button", text: plain("Open the request"), url: n.url, action_id: "gatehouse-open-approval" },
        ],
      },
    ],
  };
}

/** chat.postMessage answers 200 with `{"ok":false,"error":"..."}` on failure. */
function slackApiFailure(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { ok?: unknown; error?: unknown };
    return parsed.ok === true ? null : `Slack API: ${typeof parsed.error === "string" ? parsed.error : "not ok"}`;
  } catch {
    return "Slack API: unreadable answer";
  }
}

export function createSlackNotifier(opts: SlackNotifierOptions): ApprovalNotifier {
  const tracker = new DeliveryTracker();
  return {
    channel: "slack",
    notify(n: ApprovalNotification): void {
      const message = slackMessage(n);
      if ("webhookUrl" in opts) {
        const body = JSON.stringify(message);
        tracker.start(
          deliverWithRetry(
            {
              channel: "slack",
              approvalId: n.approvalId,
              url: opts.webhookUrl,
              request: () => ({ body, headers: {} }),
            },
            opts,
          ),
        );
        return;
      }
      const channel = (n.group ? opts.groups?.[n.group]?.slackChannel : undefined) ?? opts.channel;
      const body = JSON.stringify({ channel, ...message });
      tracker.start(
        deliverWithRetry(
          {
            channel: "slack",
            approvalId: n.approvalId,
            url: `${(opts.apiUrl ?? "https://slack.com/api").replace(/\/+$/, "")}/chat.postMessage`,
            request: () => ({
              body,
              headers: { authorization: `Bearer ${opts.botToken}`, "content-type": "application/json; charset=utf-8" },
            }),
            check: slackApiFailure,
          },
          opts,
        ),
      );
    },
    drain: () => tracker.drain(),
  };
}
