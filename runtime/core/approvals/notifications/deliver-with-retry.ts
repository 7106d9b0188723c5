/**
 * POSTs one notification with retries and exponential backoff. Never throws: the outcome is
 * logged. Each attempt has its own timeout so a hanging receiver cannot pile up requests.
 */
import { logger } from "../../telemetry/logger";

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
}

export async function deliverWithRetry(d: Delivery, opts: RetryOptions = {}): Promise<boolean> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 500;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let failure: string;
    try {
      const { body, headers } = d.request();
      const res = await fetch(d.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
        redirect: "error",
      });
      // The receiver's body is never read, only released; a broken body does not change the status.
      await res.arrayBuffer().catch((e: unknown) =>
        logger.debug("approval notification response body unreadable", {
          channel: d.channel,
          error: e instanceof Error ? e.name : typeof e,
        }),
      );
      if (res.ok) {
        logger.info("approval notification delivered", { channel: d.channel, approvalId: d.approvalId, attempt });
        return true;
      }
      failure = `HTTP ${res.status}`;
    } catch (e) {
      failure = e instanceof Error ? e.name + ": " + e.message : String(e);
    }
    logger.warn("approval notification failed", {
      channel: d.channel,
      approvalId: d.approvalId,
      attempt,
      of: attempts,
      failure,
    });
    if (attempt < attempts) {
      const delay = base * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, delay).unref?.());
    }
  }
  logger.error("approval notification given up", { channel: d.channel, approvalId: d.approvalId, attempts });
  return false;
}

/** Tracks background deliveries so `drain()` can wait for them. */
export class DeliveryTracker {
  private readonly inFlight = new Set<Promise<unknown>>();

  start(p: Promise<unknown>): void {
    // deliverWithRetry logs every failure itself and resolves false; anything else is logged here.
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
