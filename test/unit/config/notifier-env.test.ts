/**
 * The approval-notification variables are part of the gateway's environment schema (issue 14,
 * item 6): a bad one is reported at start with every other bad variable, not later on its own.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { GatehouseError } from "../../../runtime/core/errors";
import { loadGatewayConfig } from "../../../runtime/core/config/gateway-config";
import { notifiersFromEnv } from "../../../runtime/core/approvals/notifications/notifiers-from-env";
import {
  SIGNATURE_HEADER,
  signWebhookBody,
  TIMESTAMP_HEADER,
} from "../../../runtime/core/approvals/notifications/webhook-notifier";

const base = {
  GATEHOUSE_IDENTITY_METADATA: "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
  GATEHOUSE_AUDIENCE: "api://gatehouse",
  GATEHOUSE_AGENT_URL: "http://127.0.0.1:8081",
  GATEHOUSE_POLICY_FILE: "/x/bundle.json",
  GATEHOUSE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
  GATEHOUSE_SIGNING_KEY_FILE: "/x/key.json",
};

/** The variables the refusal names (each problem starts with its variable). */
function refusedVariables(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig(env);
  } catch (e) {
    const err = e as GatehouseError;
    expect(err.code).toBe("ERR_CONFIG_INVALID");
    return [...new Set((err.details.problems as string[]).map((p) => p.split(":")[0]))].sort();
  }
  throw new Error("the configuration was accepted");
}

describe("approval notification variables in the gateway's environment", () => {
  test("an invalid webhook URL is reported together with another invalid variable", () => {
    expect(
      refusedVariables({
        ...base,
        GATEHOUSE_APPROVAL_WEBHOOK_URL: "not a url",
        GATEHOUSE_APPROVAL_WEBHOOK_SECRET: "s".repeat(16),
        GATEHOUSE_RATE_LIMIT_PER_MINUTE: "-1",
      }),
    ).toEqual(["GATEHOUSE_APPROVAL_WEBHOOK_URL", "GATEHOUSE_RATE_LIMIT_PER_MINUTE"]);
  });

  test("a bad Teams URL, a short secret and a webhook URL without its secret are each named (with a non-URL beside them)", () => {
    expect(
      refusedVariables({ ...base, GATEHOUSE_TEAMS_WEBHOOK_URL: "teams", GATEHOUSE_APPROVAL_WEBHOOK_SECRET: "short" }),
    ).toEqual(["GATEHOUSE_APPROVAL_WEBHOOK_SECRET", "GATEHOUSE_TEAMS_WEBHOOK_URL"]);
    expect(
      refusedVariables({
        ...base,
        GATEHOUSE_APPROVAL_WEBHOOK_URL: "https://hooks.example.com/x",
        GATEHOUSE_AGENT_URL: "agent",
      }),
    ).toEqual(["GATEHOUSE_AGENT_URL", "GATEHOUSE_APPROVAL_WEBHOOK_SECRET"]);
  });

  test("valid variables reach the notifiers through the parsed configuration: the webhook gets a signed request", async () => {
    const received: { signature: string | undefined; timestamp: string | undefined; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        received.push({
          signature: req.headers[SIGNATURE_HEADER] as string | undefined,
          timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
          body,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const secret = "s".repeat(16);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const config = loadGatewayConfig({
        ...base,
        GATEHOUSE_APPROVAL_WEBHOOK_URL: url,
        GATEHOUSE_APPROVAL_WEBHOOK_SECRET: secret,
      });
      const notifier = notifiersFromEnv(config.env);
      notifier.notify({
        approvalId: "a-1",
        kind: "tool-call",
        url: "http://127.0.0.1/approvals/a-1",
        requester: "alice",
        server: "customers",
        tool: "delete_customer",
        ruleId: "r",
        count: 1,
        approvers: { roles: ["Approver"], groups: [] },
        expiresAt: new Date(0).toISOString(),
      });
      await notifier.drain();
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0].body)).toMatchObject({
        type: "gatehouse.approval.requested",
        approval: { approvalId: "a-1" },
      });
      expect(received[0].signature).toBe(signWebhookBody(secret, received[0].timestamp!, received[0].body));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
