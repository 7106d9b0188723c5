/**
 * Builds the configured notifiers from GATEHOUSE_* variables (both optional):
 * GATEHOUSE_TEAMS_WEBHOOK_URL; GATEHOUSE_APPROVAL_WEBHOOK_URL with GATEHOUSE_APPROVAL_WEBHOOK_SECRET.
 * They are validated with the rest of the gateway's environment (config/notifier-env.ts); this
 * takes the parsed values.
 */
import { GatehouseError } from "../../errors";
import type { NotifierEnv } from "../../config/notifier-env";
import { combineNotifiers, type ApprovalNotifier } from "./notifier";
import { createTeamsNotifier } from "./teams-notifier";
import { createWebhookNotifier } from "./webhook-notifier";

export function notifiersFromEnv(e: NotifierEnv): ApprovalNotifier {
  const list: ApprovalNotifier[] = [];
  if (e.GATEHOUSE_TEAMS_WEBHOOK_URL) list.push(createTeamsNotifier({ webhookUrl: e.GATEHOUSE_TEAMS_WEBHOOK_URL }));
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
      createWebhookNotifier({ url: e.GATEHOUSE_APPROVAL_WEBHOOK_URL, secret: e.GATEHOUSE_APPROVAL_WEBHOOK_SECRET }),
    );
  }
  return combineNotifiers(list);
}
