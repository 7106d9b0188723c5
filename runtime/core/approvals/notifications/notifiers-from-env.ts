/**
 * Builds the configured notifiers from GATEHOUSE_* variables (both optional):
 * GATEHOUSE_TEAMS_WEBHOOK_URL; GATEHOUSE_APPROVAL_WEBHOOK_URL with GATEHOUSE_APPROVAL_WEBHOOK_SECRET.
 */
import { z } from "zod";
import { GatehouseError } from "../../errors";
import { combineNotifiers, type ApprovalNotifier } from "./notifier";
import { createTeamsNotifier } from "./teams-notifier";
import { createWebhookNotifier } from "./webhook-notifier";

const EnvSchema = z.object({
  GATEHOUSE_TEAMS_WEBHOOK_URL: z.string().url().optional(),
  GATEHOUSE_APPROVAL_WEBHOOK_URL: z.string().url().optional(),
  GATEHOUSE_APPROVAL_WEBHOOK_SECRET: z.string().min(16).optional(),
});

export function notifiersFromEnv(env: NodeJS.ProcessEnv = process.env): ApprovalNotifier {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatehouseError("ERR_CONFIG_INVALID", `${String(issue.path[0])}: ${issue.message}`, { variable: String(issue.path[0]) });
  }
  const e = parsed.data;
  const list: ApprovalNotifier[] = [];
  if (e.GATEHOUSE_TEAMS_WEBHOOK_URL) list.push(createTeamsNotifier({ webhookUrl: e.GATEHOUSE_TEAMS_WEBHOOK_URL }));
  if (e.GATEHOUSE_APPROVAL_WEBHOOK_URL) {
    if (!e.GATEHOUSE_APPROVAL_WEBHOOK_SECRET) {
      throw new GatehouseError("ERR_CONFIG_INVALID", "GATEHOUSE_APPROVAL_WEBHOOK_SECRET is required with GATEHOUSE_APPROVAL_WEBHOOK_URL", { variable: "GATEHOUSE_APPROVAL_WEBHOOK_SECRET" });
    }
    list.push(createWebhookNotifier({ url: e.GATEHOUSE_APPROVAL_WEBHOOK_URL, secret: e.GATEHOUSE_APPROVAL_WEBHOOK_SECRET }));
  }
  return combineNotifiers(list);
}
