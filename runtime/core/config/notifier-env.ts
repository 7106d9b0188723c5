/**
 * The approval-notification variables, part of the gateway's environment schema (gateway-config.ts)
 * so a bad one is reported at start together with every other bad variable (issue 14, item 6).
 * Every channel is optional; a rule routes to some of them (policy `notify`, issue 20). Secrets
 * (webhook secret, Slack URL and bot token, SMTP password, PagerDuty routing key) come from Key
 * Vault references in Azure and are never logged.
 */
import { z } from "zod";
import { NameSchema } from "../policy-model/schema";
import { csv, int, isLoopbackHost } from "./parse-env";

/** https, or http only to a loopback receiver (local stand-ins and tests). */
const httpsUrl = z
  .string()
  .url()
  .refine((u) => {
    if (!URL.canParse(u)) return false;
    const url = new URL(u);
    return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  }, "must be an https URL (plain http only to 127.0.0.1 or localhost)");

const emailList = csv.pipe(z.array(z.string().email()).min(1));

/** Approver groups: where each group is reached; names match the policy's `notify.group`. */
export const ApproverGroupsSchema = z.record(
  NameSchema,
  z.object({
    /** E-mail recipients of the group. */
    email: z.array(z.string().email()).min(1).optional(),
    /** Slack channel id or name for the bot-token form (the incoming-webhook form posts to its own channel). */
    slackChannel: z.string().min(1).optional(),
  }),
);
export type ApproverGroups = z.infer<typeof ApproverGroupsSchema>;

const jsonGroups = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: 'must be JSON: {"<group>": {"email": [...], "slackChannel": "..."}}' });
      return z.NEVER;
    }
  })
  .pipe(ApproverGroupsSchema);

export const NotifierEnvShape = {
  /** Incoming webhook of a Teams channel: an adaptive card per approval request. */
  GATEHOUSE_TEAMS_WEBHOOK_URL: z.string().url().optional(),
  /** A generic webhook: signed JSON per approval event. Requires GATEHOUSE_APPROVAL_WEBHOOK_SECRET. */
  GATEHOUSE_APPROVAL_WEBHOOK_URL: z.string().url().optional(),
  /** HMAC-SHA256 key of the generic webhook's signature; 16 characters or more. Never logged. */
  GATEHOUSE_APPROVAL_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Slack incoming webhook (its URL is a credential: a secret). */
  GATEHOUSE_SLACK_WEBHOOK_URL: httpsUrl.optional(),
  /** Slack bot token (xoxb-…) for chat.postMessage; with GATEHOUSE_SLACK_CHANNEL. A secret. */
  GATEHOUSE_SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xox[bp]-[A-Za-z0-9-]+$/, "must be a Slack bot token (xoxb-…)")
    .optional(),
  /** Default channel of the bot-token form (a group's slackChannel overrides it). */
  GATEHOUSE_SLACK_CHANNEL: z.string().min(1).optional(),
  /** Slack Web API base. @default https://slack.com/api */
  GATEHOUSE_SLACK_API_URL: httpsUrl.default("https://slack.com/api"),
  /** SMTP relay for approval e-mail; with GATEHOUSE_EMAIL_FROM. */
  GATEHOUSE_SMTP_HOST: z.string().min(1).optional(),
  GATEHOUSE_SMTP_PORT: int(1, 65535).default(587),
  /** `starttls` (required upgrade), `implicit` (TLS from the first byte, port 465), `none` (loopback relays only). */
  GATEHOUSE_SMTP_TLS: z.enum(["starttls", "implicit", "none"]).default("starttls"),
  GATEHOUSE_SMTP_USER: z.string().min(1).optional(),
  /** A secret (Key Vault reference in Azure). Never logged. */
  GATEHOUSE_SMTP_PASSWORD: z.string().min(1).optional(),
  GATEHOUSE_EMAIL_FROM: z.string().email().optional(),
  /** Default recipients (comma-separated); a group's `email` overrides them. */
  GATEHOUSE_EMAIL_TO: emailList.optional(),
  /** PagerDuty Events v2 integration (routing) key: a secret. */
  GATEHOUSE_PAGERDUTY_ROUTING_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{32}$/, "must be a 32-character routing key")
    .optional(),
  /** @default https://events.pagerduty.com/v2/enqueue */
  GATEHOUSE_PAGERDUTY_EVENTS_URL: httpsUrl.default("https://events.pagerduty.com/v2/enqueue"),
  /** Approver groups by name (JSON): who a rule's `notify.group` and escalation reach. */
  GATEHOUSE_APPROVER_GROUPS: jsonGroups.optional(),
  /** How often a replica scans pending approvals for reminders, escalations and expiry. */
  GATEHOUSE_APPROVAL_SCAN_SECONDS: int(1, 3600).default(15),
};

export type NotifierEnv = z.infer<z.ZodObject<typeof NotifierEnvShape>>;

/** Rules between the variables, added to the schema's other issues (so all are reported at once). */
export function refineNotifierEnv(e: NotifierEnv, ctx: z.RefinementCtx): void {
  const need = (cond: unknown, path: keyof NotifierEnv, message: string): void => {
    if (!cond) ctx.addIssue({ code: "custom", path: [path], message });
  };
  need(
    !e.GATEHOUSE_APPROVAL_WEBHOOK_URL || e.GATEHOUSE_APPROVAL_WEBHOOK_SECRET,
    "GATEHOUSE_APPROVAL_WEBHOOK_SECRET",
    "required with GATEHOUSE_APPROVAL_WEBHOOK_URL",
  );
  need(
    !e.GATEHOUSE_SLACK_BOT_TOKEN || !e.GATEHOUSE_SLACK_WEBHOOK_URL,
    "GATEHOUSE_SLACK_BOT_TOKEN",
    "set GATEHOUSE_SLACK_WEBHOOK_URL or GATEHOUSE_SLACK_BOT_TOKEN, not both",
  );
  need(
    !e.GATEHOUSE_SLACK_BOT_TOKEN || e.GATEHOUSE_SLACK_CHANNEL,
    "GATEHOUSE_SLACK_CHANNEL",
    "required with GATEHOUSE_SLACK_BOT_TOKEN",
  );
  if (e.GATEHOUSE_SMTP_HOST) {
    need(e.GATEHOUSE_EMAIL_FROM, "GATEHOUSE_EMAIL_FROM", "required with GATEHOUSE_SMTP_HOST");
    need(
      e.GATEHOUSE_SMTP_TLS !== "none" || isLoopbackHost(e.GATEHOUSE_SMTP_HOST),
      "GATEHOUSE_SMTP_TLS",
      "none is allowed only for a relay on 127.0.0.1 or localhost (mail and credentials would cross the network in clear)",
    );
  }
  need(
    !e.GATEHOUSE_SMTP_PASSWORD || e.GATEHOUSE_SMTP_USER,
    "GATEHOUSE_SMTP_USER",
    "required with GATEHOUSE_SMTP_PASSWORD",
  );
}
