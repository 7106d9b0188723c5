import { Testing } from "cdktf";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { AUDIT_WRITE_FAILURES_KQL, DENIAL_SPIKE_KQL } from "../../stacks/workbooks/alert-queries";
import { defaultStack } from "./support/default-stack";

describe("alerts", () => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = Testing.synth(
      defaultStack({
        GATEHOUSE_ALERT_EMAILS: "secops@example.com, oncall@example.com",
        GATEHOUSE_DENIAL_SPIKE_THRESHOLD: "25",
      }),
    );
  });

  test("an action group e-mails the configured addresses", () => {
    expect(synthesized).toHaveResourceWithProperties(MonitorActionGroup, {
      email_receiver: [
        expect.objectContaining({ email_address: "secops@example.com" }),
        expect.objectContaining({ email_address: "oncall@example.com" }),
      ],
    });
  });

  test("audit write failures alert on the first failure, on the workspace", () => {
    expect(synthesized).toHaveResourceWithProperties(MonitorScheduledQueryRulesAlertV2, {
      severity: 1,
      scopes: [expect.stringContaining("azurerm_log_analytics_workspace.")],
      action: expect.objectContaining({ action_groups: [expect.stringContaining("azurerm_monitor_action_group.")] }),
      criteria: [
        expect.objectContaining({
          query: AUDIT_WRITE_FAILURES_KQL,
          operator: "GreaterThan",
          threshold: 0,
          metric_measure_column: "failures",
        }),
      ],
    });
  });

  test("a spike of denials alerts over the configured threshold", () => {
    expect(synthesized).toHaveResourceWithProperties(MonitorScheduledQueryRulesAlertV2, {
      window_duration: "PT15M",
      criteria: [expect.objectContaining({ query: DENIAL_SPIKE_KQL, threshold: 25, metric_measure_column: "denials" })],
    });
  });
});
