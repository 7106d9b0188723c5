/**
 * Approval channels in Azure (issue 20): GATEHOUSE_NOTIFY_CHANNELS wires Slack, e-mail and
 * PagerDuty into the gateway — credentials as Key Vault references to placeholder secrets only the
 * gateway reads, plain settings passed through — and bad channel settings fail synth together.
 */
import { Testing } from "cdktf";
import type { GatehouseError } from "../../runtime/core/errors";
import { defaultStack, resourcesOf, testConfig } from "./support/default-stack";

type Env = { name: string; value?: string; secret_name?: string };

function appEnv(synthesized: string, role: string): Map<string, Env> {
  const app = Object.values(resourcesOf(synthesized, "azurerm_container_app")).find(
    (a) => (a.tags as Record<string, string>)["gatehouse-role"] === role,
  )!;
  const container = (app.template as { container: { env: Env[] }[] }).container[0];
  return new Map(container.env.map((e) => [e.name, e]));
}

const CHANNELS = {
  GATEHOUSE_NOTIFY_CHANNELS: "slack,email,pagerduty",
  GATEHOUSE_SMTP_HOST: "smtp.office365.com",
  GATEHOUSE_SMTP_PORT: "587",
  GATEHOUSE_SMTP_USER: "gatehouse@contoso.com",
  GATEHOUSE_EMAIL_FROM: "gatehouse@contoso.com",
  GATEHOUSE_EMAIL_TO: "approvers@contoso.com",
  GATEHOUSE_APPROVER_GROUPS: JSON.stringify({ dba: { email: ["dba@contoso.com"] } }),
};

test("GIVEN slack, email and pagerduty WHEN synthesized THEN secrets are Key Vault references and settings are plain", () => {
  const synthesized = Testing.synth(defaultStack(CHANNELS));
  const gateway = appEnv(synthesized, "gateway");
  expect(gateway.get("GATEHOUSE_SLACK_WEBHOOK_URL")).toEqual({
    name: "GATEHOUSE_SLACK_WEBHOOK_URL",
    secret_name: "gatehouse-slack-webhook-url",
  });
  expect(gateway.get("GATEHOUSE_SMTP_PASSWORD")).toEqual({
    name: "GATEHOUSE_SMTP_PASSWORD",
    secret_name: "gatehouse-smtp-password",
  });
  expect(gateway.get("GATEHOUSE_PAGERDUTY_ROUTING_KEY")).toEqual({
    name: "GATEHOUSE_PAGERDUTY_ROUTING_KEY",
    secret_name: "gatehouse-pagerduty-routing-key",
  });
  expect(gateway.get("GATEHOUSE_SMTP_HOST")?.value).toBe("smtp.office365.com");
  expect(gateway.get("GATEHOUSE_EMAIL_TO")?.value).toBe("approvers@contoso.com");
  expect(gateway.get("GATEHOUSE_APPROVER_GROUPS")?.value).toBe(CHANNELS.GATEHOUSE_APPROVER_GROUPS);
  const agent = appEnv(synthesized, "agent");
  for (const name of ["GATEHOUSE_SLACK_WEBHOOK_URL", "GATEHOUSE_SMTP_PASSWORD", "GATEHOUSE_PAGERDUTY_ROUTING_KEY"])
    expect(agent.get(name)).toBeUndefined();

  const app = Object.values(resourcesOf(synthesized, "azurerm_container_app")).find(
    (a) => (a.tags as Record<string, string>)["gatehouse-role"] === "gateway",
  )!;
  const refs = (app.secret as { name: string; key_vault_secret_id?: string; value?: string }[]).filter((s) =>
    /slack|smtp|pagerduty/.test(s.name),
  );
  expect(refs.map((s) => s.name).sort()).toEqual([
    "gatehouse-pagerduty-routing-key",
    "gatehouse-slack-webhook-url",
    "gatehouse-smtp-password",
  ]);
  for (const s of refs) {
    expect(s.key_vault_secret_id).toMatch(/secrets\/(slack-webhook-url|smtp-password|pagerduty-routing-key)$/);
    expect(s.value).toBeUndefined();
  }
  // Only the gateway's identity reads them.
  const readers = Object.values(resourcesOf(synthesized, "azurerm_role_assignment")).filter((r) =>
    /slack-webhook-url|smtp-password|pagerduty-routing-key/.test(String(r.scope)),
  );
  expect(readers).toHaveLength(3);
  for (const r of readers) expect(String(r.principal_id)).toContain("gateway-identity");
});

test("GIVEN a Slack channel WHEN synthesized THEN the bot-token form is wired instead of the webhook", () => {
  const gateway = appEnv(
    Testing.synth(defaultStack({ GATEHOUSE_NOTIFY_CHANNELS: "slack", GATEHOUSE_SLACK_CHANNEL: "C0APPROVALS" })),
    "gateway",
  );
  expect(gateway.get("GATEHOUSE_SLACK_BOT_TOKEN")?.secret_name).toBe("gatehouse-slack-bot-token");
  expect(gateway.get("GATEHOUSE_SLACK_CHANNEL")?.value).toBe("C0APPROVALS");
  expect(gateway.get("GATEHOUSE_SLACK_WEBHOOK_URL")).toBeUndefined();
});

test("GIVEN bad channel settings WHEN loaded THEN every one is reported at once", () => {
  let error: GatehouseError | undefined;
  try {
    testConfig({
      GATEHOUSE_NOTIFY_CHANNELS: "slack,sms,email",
      GATEHOUSE_SMTP_PORT: "smtp",
      GATEHOUSE_SMTP_TLS: "none",
    });
  } catch (e) {
    error = e as GatehouseError;
  }
  expect(error?.code).toBe("ERR_CONFIG_INVALID");
  expect([...new Set(error?.details.variables as string[])].sort()).toEqual([
    "GATEHOUSE_EMAIL_FROM",
    "GATEHOUSE_NOTIFY_CHANNELS",
    "GATEHOUSE_SMTP_HOST",
    "GATEHOUSE_SMTP_PORT",
    "GATEHOUSE_SMTP_TLS",
  ]);
});
