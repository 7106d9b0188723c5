/**
 * Approval notifications: who to tell that a request waits for them. Notifying is best effort:
 * `notify` never throws and never delays the request; failures are retried with backoff, logged
 * (ids, channel and masked failure only, never arguments) and counted.
 */
import type { NotifyChannel } from "../../policy-model/schema";

/** What a notification announces: a new request, a reminder before expiry, or an escalation. */
export type ApprovalEvent = "requested" | "reminder" | "escalated";

export interface ApprovalNotification {
  readonly approvalId: string;
  readonly kind: "tool-call" | "jit";
  /** Link to the approval page entry. */
  readonly url: string;
  readonly requester: string;
  readonly server: string;
  readonly tool: string;
  readonly ruleId: string;
  readonly count: number;
  readonly approvers: { roles: string[]; groups: string[] };
  readonly expiresAt: string;
  /** @default "requested" */
  readonly event?: ApprovalEvent;
  /** The rule in words (rule-text.ts), masked. @default - none */
  readonly ruleText?: string;
  /** The approver group addressed (GATEHOUSE_APPROVER_GROUPS); null: each channel's default recipients. */
  readonly group?: string | null;
  /** The channels to use; null or absent: every configured channel. */
  readonly channels?: readonly NotifyChannel[] | null;
}

/** A request left the pending state: channels that keep something open (a PagerDuty incident) close it. */
export interface ApprovalSettled {
  readonly approvalId: string;
  readonly status: "approved" | "rejected" | "expired";
  readonly channels: readonly NotifyChannel[] | null;
}

export interface ApprovalNotifier {
  /** The channel this notifier delivers to; absent for a combination. */
  readonly channel?: NotifyChannel;
  /** Fire and forget: returns at once; delivery continues in the background. */
  notify(n: ApprovalNotification): void;
  /** Fire and forget, like notify. @default - nothing to close */
  settled?(s: ApprovalSettled): void;
  /** Resolves when every delivery started so far has finished (tests, graceful shutdown). */
  drain(): Promise<void>;
}

function routedTo(x: ApprovalNotifier, channels: readonly NotifyChannel[] | null | undefined): boolean {
  return !channels || !x.channel || channels.includes(x.channel);
}

/** Sends each notification to the notifiers of its channels (all of them when it names none). */
export function combineNotifiers(notifiers: readonly ApprovalNotifier[]): ApprovalNotifier {
  return {
    notify: (n) => notifiers.filter((x) => routedTo(x, n.channels)).forEach((x) => x.notify(n)),
    settled: (s) => notifiers.filter((x) => routedTo(x, s.channels)).forEach((x) => x.settled?.(s)),
    drain: async () => {
      await Promise.all(notifiers.map((x) => x.drain()));
    },
  };
}
