/**
 * A generic signed webhook. The body is JSON; `X-Gatehouse-Signature: sha256=<hex>` is
 * HMAC-SHA256 over `<timestamp>.<body>` with the shared secret, and `X-Gatehouse-Timestamp`
 * carries the unix time in seconds, so receivers can refuse replays older than a few minutes.
 */
import { createHmac } from "node:crypto";
import type { ApprovalNotification, ApprovalNotifier } from "./notifier";
import { deliverWithRetry, DeliveryTracker, type RetryOptions } from "./deliver-with-retry";

export const SIGNATURE_HEADER = "x-gatehouse-signature";
export const TIMESTAMP_HEADER = "x-gatehouse-timestamp";

export interface WebhookNotifierOptions extends RetryOptions {
  readonly url: string;
  /** Shared secret for the HMAC; at least 16 characters. */
  readonly secret: string;
}

export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return "sha256=" + createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function createWebhookNotifier(opts: WebhookNotifierOptions): ApprovalNotifier {
  if (opts.secret.length < 16) throw new TypeError("the webhook secret must be at least 16 characters");
  const tracker = new DeliveryTracker();
  return {
    channel: "webhook",
    notify(n: ApprovalNotification): void {
      // `gatehouse.approval.requested`, `.reminder` or `.escalated`.
      const body = JSON.stringify({ type: `gatehouse.approval.${n.event ?? "requested"}`, approval: n });
      tracker.start(
        deliverWithRetry(
          {
            channel: "webhook",
            approvalId: n.approvalId,
            url: opts.url,
            request: () => {
              const ts = String(Math.floor(Date.now() / 1000));
              return {
                body,
                headers: { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: signWebhookBody(opts.secret, ts, body) },
              };
            },
          },
          opts,
        ),
      );
    },
    drain: () => tracker.drain(),
  };
}
