import {
  LogAnalyticsWorkspace,
  type LogAnalyticsWorkspaceConfig,
} from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ApplicationInsights, type ApplicationInsightsConfig } from "@cdktf/provider-azurerm/lib/application-insights";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

const workspace = (over: Partial<LogAnalyticsWorkspaceConfig>) =>
  nagStack((stack) => {
    new LogAnalyticsWorkspace(stack, "law", {
      ...RG,
      name: "law",
      retentionInDays: 365,
      localAuthenticationEnabled: false,
      ...over,
    });
  });
const insights = (over: Partial<ApplicationInsightsConfig>) =>
  nagStack((stack) => {
    new ApplicationInsights(stack, "ai", {
      ...RG,
      name: "ai",
      applicationType: "Node.JS",
      workspaceId: "w",
      localAuthenticationDisabled: true,
      ...over,
    });
  });

describe("Log Analytics", () => {
  test("GH_LA_1 Noncompliance 1: 90 days", () => expectSynthFails(workspace({ retentionInDays: 90 }), "GH_LA_1"));
  test("GH_LA_1 Noncompliance 2: local auth left on", () =>
    expectSynthFails(workspace({ localAuthenticationEnabled: undefined }), "GH_LA_1"));
  test("GH_LA_1 Compliance", () => expect(ruleIds(workspace({}))).toEqual([]));
  test("GH_LA_1 Compliance: the deprecated local_authentication_disabled form", () =>
    expect(ruleIds(workspace({ localAuthenticationEnabled: undefined, localAuthenticationDisabled: true }))).toEqual(
      [],
    ));
});

describe("Application Insights", () => {
  test("GH_AI_1 Noncompliance 1: classic (no workspace)", () =>
    expectSynthFails(insights({ workspaceId: undefined }), "GH_AI_1"));
  test("GH_AI_1 Noncompliance 2: instrumentation-key auth", () =>
    expectSynthFails(insights({ localAuthenticationDisabled: false }), "GH_AI_1"));
  test("GH_AI_1 Compliance", () => expect(ruleIds(insights({}))).toEqual([]));
});

describe("diagnostic settings", () => {
  const targets = (diagnosed: boolean) =>
    nagStack((stack) => {
      const env = new ContainerAppEnvironment(stack, "env", { ...RG, name: "cae", infrastructureSubnetId: "s" });
      const kv = new KeyVault(stack, "kv", { ...RG, name: "kv", tenantId: "t", skuName: "standard" });
      if (diagnosed) {
        for (const [id, target] of [
          ["env", env.id],
          ["kv", kv.id],
        ]) {
          new MonitorDiagnosticSetting(stack, `diag-${id}`, {
            name: "d",
            targetResourceId: target,
            logAnalyticsWorkspaceId: "w",
            enabledLog: [{ categoryGroup: "allLogs" }],
          });
        }
      }
    });
  test("GH_DIAG_1 Noncompliance 1: environment and vault without diagnostics", () => {
    expectSynthFails(targets(false), "GH_DIAG_1");
    expect(ruleIds(targets(false)).filter((id) => id === "GH_DIAG_1")).toHaveLength(2);
  });
  test("GH_DIAG_1 Compliance", () => expect(ruleIds(targets(true))).not.toContain("GH_DIAG_1"));
});
