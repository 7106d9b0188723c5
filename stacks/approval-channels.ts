/**
 * The approval notification channels of a deployment (issue 20): which channels the gateway is
 * wired for (GATEHOUSE_NOTIFY_CHANNELS), their plain settings passed through to the gateway's
 * environment (validated here by the gateway's own schema, runtime/core/config/notifier-env.ts),
 * and their credentials as Key Vault secrets the operator fills in (placeholders, docs/deploy.md),
 * read by the gateway only and reaching it as Key Vault references — never as plain settings.
 */
import { z } from "zod";
import { NotifierEnvShape } from "../runtime/core/config/notifier-env";
import type { ManagedSecret } from "./identity-secrets";
import type { GatewayEnv, GatewayEnvName } from "./runtime-env";

export const SLACK_WEBHOOK_SECRET = "slack-webhook-url";
export const SLACK_BOT_TOKEN_SECRET = "slack-bot-token";
export const SMTP_PASSWORD_SECRET = "smtp-password";
export const PAGERDUTY_ROUTING_KEY_SECRET = "pagerduty-routing-key";

/** Channels wired by the stack; Teams and the signed webhook keep their own (operator-set) variables. */
export const STACK_CHANNELS = ["slack", "email", "pagerduty"] as const;
export type StackChannel = (typeof STACK_CHANNELS)[number];

/** Plain settings passed to the gateway as they are (no secrets among them). */
const PASS_THROUGH = [
  "GATEHOUSE_SLACK_CHANNEL",
  "GATEHOUSE_SMTP_HOST",
  "GATEHOUSE_SMTP_PORT",
  "GATEHOUSE_SMTP_TLS",
  "GATEHOUSE_SMTP_USER",
  "GATEHOUSE_EMAIL_FROM",
  "GATEHOUSE_EMAIL_TO",
  "GATEHOUSE_APPROVER_GROUPS",
  "GATEHOUSE_APPROVAL_SCAN_SECONDS",
] as const satisfies readonly GatewayEnvName[];

export const ApprovalChannelsEnvShape = {
  /** Channels to wire: comma-separated slack, email, pagerduty. @default "" - none */
  GATEHOUSE_NOTIFY_CHANNELS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(STACK_CHANNELS, "comma-separated slack, email, pagerduty"))),
  // Validated by the gateway's own schema, so a value the gateway would refuse fails synth instead.
  GATEHOUSE_SLACK_CHANNEL: NotifierEnvShape.GATEHOUSE_SLACK_CHANNEL,
  GATEHOUSE_SMTP_HOST: NotifierEnvShape.GATEHOUSE_SMTP_HOST,
  GATEHOUSE_SMTP_PORT: NotifierEnvShape.GATEHOUSE_SMTP_PORT,
  GATEHOUSE_SMTP_TLS: NotifierEnvShape.GATEHOUSE_SMTP_TLS,
  GATEHOUSE_SMTP_USER: NotifierEnvShape.GATEHOUSE_SMTP_USER,
  GATEHOUSE_EMAIL_FROM: NotifierEnvShape.GATEHOUSE_EMAIL_FROM,
  GATEHOUSE_EMAIL_TO: NotifierEnvShape.GATEHOUSE_EMAIL_TO,
  GATEHOUSE_APPROVER_GROUPS: NotifierEnvShape.GATEHOUSE_APPROVER_GROUPS,
  GATEHOUSE_APPROVAL_SCAN_SECONDS: NotifierEnvShape.GATEHOUSE_APPROVAL_SCAN_SECONDS,
} satisfies Record<"GATEHOUSE_NOTIFY_CHANNELS" | (typeof PASS_THROUGH)[number], z.ZodType>;

export interface ApprovalChannels {
  readonly channels: readonly StackChannel[];
  /** The plain settings, as given. */
  readonly env: GatewayEnv;
}

export function approvalChannelsFrom(raw: Record<string, string | undefined>): ApprovalChannels {
  const channels = [
    ...new Set(
      (raw.GATEHOUSE_NOTIFY_CHANNELS ?? "")
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ] as StackChannel[];
  const env: GatewayEnv = {};
  for (const k of PASS_THROUGH) if (raw[k] !== undefined) env[k] = raw[k];
  return { channels, env };
}

/** Checks across the channel variables (run with the configuration's other checks). */
export function approvalChannelProblems(
  raw: Record<string, string | undefined>,
): { variable: string; message: string }[] {
  const wired = new Set((raw.GATEHOUSE_NOTIFY_CHANNELS ?? "").split(",").map((x) => x.trim()));
  const problems: { variable: string; message: string }[] = [];
  if (wired.has("email")) {
    for (const variable of ["GATEHOUSE_SMTP_HOST", "GATEHOUSE_EMAIL_FROM"])
      if (raw[variable] === undefined)
        problems.push({
          variable,
          message: "received nothing (missing), required with email in GATEHOUSE_NOTIFY_CHANNELS",
        });
  }
  if (raw.GATEHOUSE_SMTP_TLS === "none")
    problems.push({
      variable: "GATEHOUSE_SMTP_TLS",
      message: 'received "none", expected starttls or implicit (an Azure deployment never relays on loopback)',
    });
  return problems;
}

const slackBot = (c: ApprovalChannels): boolean => c.env.GATEHOUSE_SLACK_CHANNEL !== undefined;

/** The channels' credentials: placeholders the operator sets in Key Vault, readable by the gateway only. */
export function approvalChannelSecrets(c: ApprovalChannels): ManagedSecret[] {
  const out: ManagedSecret[] = [];
  const gateway = (name: string, contentType: string): ManagedSecret => ({ name, readers: "gateway", contentType });
  if (c.channels.includes("slack"))
    out.push(
      slackBot(c)
        ? gateway(SLACK_BOT_TOKEN_SECRET, "text/plain; slack-bot-token")
        : gateway(SLACK_WEBHOOK_SECRET, "text/plain; slack-webhook-url"),
    );
  if (c.channels.includes("email") && c.env.GATEHOUSE_SMTP_USER !== undefined)
    out.push(gateway(SMTP_PASSWORD_SECRET, "text/plain; smtp-password"));
  if (c.channels.includes("pagerduty"))
    out.push(gateway(PAGERDUTY_ROUTING_KEY_SECRET, "text/plain; pagerduty-routing-key"));
  return out;
}

/** The gateway's secret variables for those credentials (Key Vault references). */
export function approvalChannelSecretEnv<S>(
  c: ApprovalChannels,
  secrets: Record<string, S>,
): Partial<Record<GatewayEnvName, S>> {
  const out: Partial<Record<GatewayEnvName, S>> = {};
  if (c.channels.includes("slack")) {
    if (slackBot(c)) out.GATEHOUSE_SLACK_BOT_TOKEN = secrets[SLACK_BOT_TOKEN_SECRET];
    else out.GATEHOUSE_SLACK_WEBHOOK_URL = secrets[SLACK_WEBHOOK_SECRET];
  }
  if (c.channels.includes("email") && c.env.GATEHOUSE_SMTP_USER !== undefined)
    out.GATEHOUSE_SMTP_PASSWORD = secrets[SMTP_PASSWORD_SECRET];
  if (c.channels.includes("pagerduty")) out.GATEHOUSE_PAGERDUTY_ROUTING_KEY = secrets[PAGERDUTY_ROUTING_KEY_SECRET];
  return out;
}

/** The gateway's plain variables of the wired channels (only those of a wired channel, and the shared ones). */
export function approvalChannelEnv(c: ApprovalChannels): GatewayEnv {
  const { env } = c;
  return {
    ...(c.channels.includes("slack") && env.GATEHOUSE_SLACK_CHANNEL
      ? { GATEHOUSE_SLACK_CHANNEL: env.GATEHOUSE_SLACK_CHANNEL }
      : {}),
    ...(c.channels.includes("email")
      ? Object.fromEntries(Object.entries(env).filter(([k]) => /^GATEHOUSE_(SMTP|EMAIL)_/.test(k)))
      : {}),
    ...(env.GATEHOUSE_APPROVER_GROUPS ? { GATEHOUSE_APPROVER_GROUPS: env.GATEHOUSE_APPROVER_GROUPS } : {}),
    ...(env.GATEHOUSE_APPROVAL_SCAN_SECONDS
      ? { GATEHOUSE_APPROVAL_SCAN_SECONDS: env.GATEHOUSE_APPROVAL_SCAN_SECONDS }
      : {}),
  };
}
