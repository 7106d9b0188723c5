/**
 * Microsoft Teams incoming webhook (or a Workflows "post to a channel when a webhook request is
 * received" URL): a message with an Adaptive Card linking to the approval page. The card names
 * who asked, the server, tool and rule; it never carries arguments.
 */
import type { ApprovalNotification, ApprovalNotifier } from "./notifier";
import { headline } from "./notification-of";
import { deliverWithRetry, DeliveryTracker, type RetryOptions } from "./deliver-with-retry";

export interface TeamsNotifierOptions extends RetryOptions {
  readonly webhookUrl: string;
}

export function adaptiveCardMessage(n: ApprovalNotification): Record<string, unknown> {
  const who = [...n.approvers.roles.map((r) => `role ${r}`), ...n.approvers.groups.map((g) => `group ${g}`)].join(", ");
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            {
              type: "TextBlock",
              size: "Medium",
              weight: "Bolder",
              text:
                (n.event ?? "requested") !== "requested"
                  ? headline(n)
                  : n.kind === "jit"
                    ? "Just-in-time access needs approval"
                    : "A tool call needs approval",
              wrap: true,
            },
            {
              type: "FactSet",
              facts: [
                { title: "Requested by", value: n.requester },
                { title: "Server", value: n.server },
                { title: "Tool", value: n.tool },
                { title: "Rule", value: n.ruleId },
                { title: "Approvers needed", value: `${n.count} (${who || "none configured"})` },
                { title: "Expires", value: n.expiresAt },
                { title: "Approval id", value: n.approvalId },
              ],
            },
          ],
          actions: [{ type: "Action.OpenUrl", title: "Review the request", url: n.url }],
        },
      },
    ],
  };
}

export function createTeamsNotifier(opts: TeamsNotifierOptions): ApprovalNotifier {
  const tracker = new DeliveryTracker();
  return {
    channel: "teams",
    notify(n: ApprovalNotification): void {
      const body = JSON.stringify(adaptiveCardMessage(n));
      tracker.start(
        deliverWithRetry(
          { channel: "teams", approvalId: n.approvalId, url: opts.webhookUrl, request: () => ({ body, headers: {} }) },
          opts,
        ),
      );
    },
    drain: () => tracker.drain(),
  };
}
