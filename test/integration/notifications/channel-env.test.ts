/**
 * The new channels' variables are validated with the rest of the gateway's environment: every bad
 * one is reported at once (ERR_CONFIG_INVALID, each problem naming its variable), and a secret's
 * value never appears in the refusal.
 */
import type { GatehouseError } from "../../../runtime/core/errors";
import { loadGatewayConfig } from "../../../runtime/core/config/gateway-config";

const base = {
  GATEHOUSE_IDENTITY_METADATA: "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
  GATEHOUSE_AUDIENCE: "api://gatehouse",
  GATEHOUSE_AGENT_URL: "http://127.0.0.1:8081",
  GATEHOUSE_POLICY_FILE: "/x/bundle.json",
  GATEHOUSE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
  GATEHOUSE_SIGNING_KEY_FILE: "/x/key.json",
};

function refusal(env: Record<string, string>): GatehouseError {
  try {
    loadGatewayConfig(env);
  } catch (e) {
    return e as GatehouseError;
  }
  throw new Error("the configuration was accepted");
}

const variables = (e: GatehouseError): string[] =>
  [...new Set((e.details.problems as string[]).map((p) => p.split(":")[0]))].sort();

test("a non-numeric SMTP port, a plain-http Slack URL off loopback and bad PagerDuty/groups values are reported together", () => {
  const e = refusal({
    ...base,
    GATEHOUSE_SMTP_HOST: "smtp.example.com",
    GATEHOUSE_SMTP_PORT: "twenty-five",
    GATEHOUSE_EMAIL_FROM: "gatehouse@example.com",
    GATEHOUSE_SLACK_WEBHOOK_URL: "http://hooks.slack.example.com/services/T0/B0/SECRETPART",
    GATEHOUSE_PAGERDUTY_ROUTING_KEY: "short-key",
    GATEHOUSE_APPROVER_GROUPS: "{not json",
    GATEHOUSE_RATE_LIMIT_PER_MINUTE: "-1",
  });
  expect(e.code).toBe("ERR_CONFIG_INVALID");
  expect(variables(e)).toEqual([
    "GATEHOUSE_APPROVER_GROUPS",
    "GATEHOUSE_PAGERDUTY_ROUTING_KEY",
    "GATEHOUSE_RATE_LIMIT_PER_MINUTE",
    "GATEHOUSE_SLACK_WEBHOOK_URL",
    "GATEHOUSE_SMTP_PORT",
  ]);
  expect(e.message).not.toContain("SECRETPART");
});

test("rules between variables: TLS off to a remote relay, a sender missing, a bot token without a channel or beside a webhook", () => {
  expect(
    variables(
      refusal({
        ...base,
        GATEHOUSE_SMTP_HOST: "smtp.example.com",
        GATEHOUSE_SMTP_TLS: "none",
        GATEHOUSE_SMTP_PASSWORD: "pw-secret-value",
        GATEHOUSE_SLACK_BOT_TOKEN: "xoxb-123-abc",
      }),
    ),
  ).toEqual(["GATEHOUSE_EMAIL_FROM", "GATEHOUSE_SLACK_CHANNEL", "GATEHOUSE_SMTP_TLS", "GATEHOUSE_SMTP_USER"]);
  expect(
    variables(
      refusal({
        ...base,
        GATEHOUSE_SLACK_BOT_TOKEN: "xoxb-123-abc",
        GATEHOUSE_SLACK_CHANNEL: "C1",
        GATEHOUSE_SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B0/x",
        GATEHOUSE_APPROVER_GROUPS: JSON.stringify({ dba: { email: ["not-an-address"] } }),
      }),
    ),
  ).toEqual(["GATEHOUSE_APPROVER_GROUPS", "GATEHOUSE_SLACK_BOT_TOKEN"]);
});

test("a complete configuration parses: loopback relay without TLS, plain http to a loopback receiver, groups", () => {
  const c = loadGatewayConfig({
    ...base,
    GATEHOUSE_SMTP_HOST: "127.0.0.1",
    GATEHOUSE_SMTP_PORT: "2525",
    GATEHOUSE_SMTP_TLS: "none",
    GATEHOUSE_EMAIL_FROM: "gatehouse@example.com",
    GATEHOUSE_EMAIL_TO: "a@example.com, b@example.com",
    GATEHOUSE_SLACK_WEBHOOK_URL: "http://127.0.0.1:9/hook",
    GATEHOUSE_PAGERDUTY_ROUTING_KEY: "R0UTINGKEY0123456789abcdefABCDEF",
    GATEHOUSE_APPROVER_GROUPS: JSON.stringify({ dba: { email: ["dba@example.com"], slackChannel: "C-DBA" } }),
    GATEHOUSE_APPROVAL_SCAN_SECONDS: "5",
  });
  expect(c.env).toMatchObject({
    GATEHOUSE_SMTP_PORT: 2525,
    GATEHOUSE_EMAIL_TO: ["a@example.com", "b@example.com"],
    GATEHOUSE_APPROVER_GROUPS: { dba: { email: ["dba@example.com"], slackChannel: "C-DBA" } },
    GATEHOUSE_APPROVAL_SCAN_SECONDS: 5,
    GATEHOUSE_PAGERDUTY_EVENTS_URL: "https://events.pagerduty.com/v2/enqueue",
  });
});
