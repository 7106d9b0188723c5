/**
 * Delivers one notification with retries and exponential backoff. Never throws: the outcome is
 * logged (the failure text masked: an SMTP reply or a receiver's error can carry addresses) and a
 * delivery given up is counted. Each attempt has its own timeout so a hanging receiver cannot pile
 * up requests.
 */
import { logger } from "../../telemetry/logger";
import { gatehouseMetrics } from "../../telemetry/metrics";
import { maskLabel } from "../../masking/mask-label";

export interface RetryOptions {
  /** @default 4 */
  readonly attempts?: number;
  /** First backoff; doubled after each failure, with jitter. @default 500 */
  readonly baseDelayMs?: number;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

export interface Delivery {
  readonly channel: string;
  readonly approvalId: string;
  readonly url: string;
  /** Builds the request for one attempt (a fresh timestamp and signature each time). */
  readonly request: () => { body: string; headers: Record<string, string> };
  /** Reads a 2xx body and returns why it is a failure (Slack's `{"ok":false}`), or null. @default - any 2xx succeeds */
  readonly check?: (body: string) => string | null;
}

/** One attempt: resolves null when delivered, else the failure in words; may throw. */
export type Attempt = (timeoutMs: number) => Promise<string | null>;

/** Runs `attempt` until it succeeds or `attempts` are spent; true when delivered. */
export async function retryDelivery(
  d: { channel: string; approvalId: string },
  attempt: Attempt,
  opts: RetryOptions = {},
): Promise<boolean> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 500;
  for (let n = 1; n <= attempts; n++) {
    let failure: string | null;
    try {
      failure = await attempt(opts.timeoutMs ?? 5000);
    } catch (e) {
      failure = e instanceof Error ? e.name + ": " + e.message : String(e);
    }
    if (failure === null) {
      logger.info("approval notification delivered", { channel: d.channel, approvalId: d.approvalId, attempt: n });
      return true;
    }
    logger.warn("approval notification failed", {
      channel: d.channel,
      approvalId: d.approvalId,
      attempt: n,
      of: attempts,
      failure: maskLabel(failure.slice(0, 300)),
    });
    if (n < attempts) {
      const delay = base * 2 ** (n - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, delay).unref?.());
    }
  }
  gatehouseMetrics.notificationFailure({ channel: d.channel });
  logger.error("approval notification given up", { channel: d.channel, approvalId: d.approvalId, attempts });
  return false;
}

/** POSTs JSON with retries (retryDelivery); the URL is never logged (a webhook URL is a credential). */
export function deliverWithRetry(d: Delivery, opts: RetryOptions = {}): Promise<boolean> {
  return retryDelivery(
    d,
    async (timeoutMs) => {
      const { body, headers } = d.request();
      const res = await fetch(d.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      // The receiver's body is read only when the channel needs it, else released; a broken body does not change the status.
      const text = await res.text().catch((e: unknown) => {
        logger.debug("approval notification response body unreadable", {
          channel: d.channel,
          error: e instanceof Error ? e.name : typeof e,
        });
        return "";
      });
      if (!res.ok) return `HTTP ${res.status}`;
      return d.check ? d.check(text) : null;
    },
    opts,
  );
}

/** Tracks background deliveries so `drain()` can wait for them. */
export class DeliveryTracker {
  private readonly inFlight = new Set<Promise<unknown>>();

  start(p: Promise<unknown>): void {
    // retryDelivery logs every failure itself and resolves false; anything else is logged here.
    const tracked = p
      .catch((e: unknown) =>
        logger.error("approval notification delivery crashed", {
          event: "approvals.notification_crashed",
          error: e instanceof Error ? e.name : typeof e,
        }),
      )
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}
