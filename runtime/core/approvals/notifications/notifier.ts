/**
 * Approval notifications: who to tell that a request waits for them. Notifying is best effort:
 * `notify` never throws and never delays the request; failures are retried with backoff and
 * logged (ids and status codes only, never arguments).
 */
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
}

export interface ApprovalNotifier {
  /** Fire and forget: returns at once; delivery continues in the background. */
  notify(n: ApprovalNotification): void;
  /** Resolves when every delivery started so far has finished (tests, graceful shutdown). */
  drain(): Promise<void>;
}

/** Sends one notification to every notifier. */
export function combineNotifiers(notifiers: readonly ApprovalNotifier[]): ApprovalNotifier {
  return {
    notify: (n) => notifiers.forEach((x) => x.notify(n)),
    drain: async () => {
      await Promise.all(notifiers.map((x) => x.drain()));
    },
  };
}
