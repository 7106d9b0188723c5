/**
 * The edge's rules: a public Container Apps environment (GH_EDGE_1), a WAF that only detects
 * (GH_EDGE_2) or lacks the managed rule sets (GH_EDGE_3), and a Front Door origin reached over the
 * Internet (GH_EDGE_4) fail synth; GATEHOUSE_EDGE=none is allowed only with its reason, recorded
 * as GH_EDGE_1's suppression in the synthesized output.
 */
import { Testing } from "cdktf";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import {
  CdnFrontdoorFirewallPolicy,
  type CdnFrontdoorFirewallPolicyConfig,
} from "@cdktf/provider-azurerm/lib/cdn-frontdoor-firewall-policy";
import {
  CdnFrontdoorOrigin,
  type CdnFrontdoorOriginPrivateLink,
} from "@cdktf/provider-azurerm/lib/cdn-frontdoor-origin";
import { CdnFrontdoorProfile } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-profile";
import { MANAGED_RULE_SETS } from "../../../stacks/edge-waf-policy";
import { defaultStack, NO_EDGE } from "../support/default-stack";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

function environment(opts: { internal?: boolean; publicNetworkAccess?: string }) {
  return nagStack((stack) => {
    const env = new ContainerAppEnvironment(stack, "env", {
      ...RG,
      name: "cae",
      infrastructureSubnetId: "s",
      internalLoadBalancerEnabled: opts.internal,
      publicNetworkAccess: opts.publicNetworkAccess,
    });
    new MonitorDiagnosticSetting(stack, "diag", {
      name: "d",
      targetResourceId: env.id,
      logAnalyticsWorkspaceId: "w",
      enabledLog: [{ categoryGroup: "allLogs" }],
    });
  });
}

function waf(over: Partial<CdnFrontdoorFirewallPolicyConfig>) {
  return nagStack((stack) => {
    new CdnFrontdoorFirewallPolicy(stack, "waf", {
      name: "waf",
      resourceGroupName: "rg",
      skuName: "Premium_AzureFrontDoor",
      mode: "Prevention",
      managedRule: MANAGED_RULE_SETS.map((m) => ({ ...m })),
      ...over,
    });
  });
}

function origin(privateLink?: CdnFrontdoorOriginPrivateLink) {
  return nagStack((stack) => {
    new CdnFrontdoorOrigin(stack, "origin", {
      name: "o",
      cdnFrontdoorOriginGroupId: "g",
      hostName: "gw.example",
      certificateNameCheckEnabled: true,
      privateLink,
    });
  });
}

describe("Edge", () => {
  describe("GH_EDGE_1: the environment is not public", () => {
    test("Noncompliance 1: external environment (no internal load balancer)", () =>
      expectSynthFails(environment({ publicNetworkAccess: "Disabled" }), "GH_EDGE_1"));
    test("Noncompliance 2: internal, but public network access not disabled", () =>
      expectSynthFails(environment({ internal: true }), "GH_EDGE_1"));
    test("Noncompliance 3: public network access Enabled", () =>
      expectSynthFails(environment({ internal: true, publicNetworkAccess: "Enabled" }), "GH_EDGE_1"));
    test("Compliance", () =>
      expect(ruleIds(environment({ internal: true, publicNetworkAccess: "Disabled" }))).toEqual([]));
  });

  describe("GH_EDGE_2: the WAF prevents", () => {
    test("Noncompliance 1: Detection mode", () => expectSynthFails(waf({ mode: "Detection" }), "GH_EDGE_2"));
    test("Noncompliance 2: disabled", () => expectSynthFails(waf({ enabled: false }), "GH_EDGE_2"));
    test("Compliance", () => expect(ruleIds(waf({}))).toEqual([]));
  });

  describe("GH_EDGE_3: the WAF blocks with the managed rule sets", () => {
    test("Noncompliance 1: no managed rules", () => expectSynthFails(waf({ managedRule: [] }), "GH_EDGE_3"));
    test("Noncompliance 2: the default rule set only logs", () =>
      expectSynthFails(
        waf({
          managedRule: MANAGED_RULE_SETS.map((m) => ({
            ...m,
            action: m.type === "Microsoft_DefaultRuleSet" ? "Log" : m.action,
          })),
        }),
        "GH_EDGE_3",
      ));
    test("Noncompliance 3: no bot protection", () =>
      expectSynthFails(waf({ managedRule: [{ ...MANAGED_RULE_SETS[0] }] }), "GH_EDGE_3"));
  });

  describe("GH_EDGE_4: the origin is reached over Private Link", () => {
    test("Noncompliance 1: a public origin", () => expectSynthFails(origin(), "GH_EDGE_4"));
    test("Compliance", () =>
      expect(
        ruleIds(
          origin({
            privateLinkTargetId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/cae",
            location: "westeurope",
            targetType: "managedEnvironments",
          }),
        ),
      ).toEqual([]));
  });

  describe("GH_DIAG_1 covers the Front Door profile (access, health-probe and WAF logs)", () => {
    const profile = (withDiagnostics: boolean) =>
      nagStack((stack) => {
        const p = new CdnFrontdoorProfile(stack, "profile", {
          name: "afd",
          resourceGroupName: "rg",
          skuName: "Premium_AzureFrontDoor",
        });
        if (withDiagnostics)
          new MonitorDiagnosticSetting(stack, "diag", {
            name: "d",
            targetResourceId: p.id,
            logAnalyticsWorkspaceId: "w",
            enabledLog: [{ categoryGroup: "allLogs" }],
          });
      });
    test("Noncompliance 1: a profile without a diagnostic setting", () =>
      expectSynthFails(profile(false), "GH_DIAG_1"));
    test("Compliance", () => expect(ruleIds(profile(true))).toEqual([]));
  });

  describe("the composed stack", () => {
    test("Compliance: the default (GATEHOUSE_EDGE=frontdoor) synthesizes with no edge suppression", () => {
      const stack = defaultStack();
      Testing.synth(stack);
      expect(stack.compliance.lastReport?.violations).toEqual([]);
      expect(stack.compliance.lastReport?.suppressed.map((s) => s.ruleId)).not.toContain("GH_EDGE_1");
    });
    test("Compliance: GATEHOUSE_EDGE=none synthesizes only as GH_EDGE_1's suppression, its reason in the output", () => {
      const stack = defaultStack(NO_EDGE);
      Testing.synth(stack);
      expect(stack.toTerraform()["//"].gatehouse_compliance.suppressions).toContainEqual(
        expect.objectContaining({
          ruleId: "GH_EDGE_1",
          reason: `GATEHOUSE_EDGE=none: ${NO_EDGE.GATEHOUSE_EDGE_NONE_REASON}`,
        }),
      );
    });
    test("GATEHOUSE_EDGE=none without a reason is refused, naming the variable", () => {
      expect(() => defaultStack({ GATEHOUSE_EDGE: "none" })).toThrow(
        expect.objectContaining({ code: "ERR_CONFIG_INVALID", details: { variables: ["GATEHOUSE_EDGE_NONE_REASON"] } }),
      );
      expect(() => defaultStack({ GATEHOUSE_EDGE: "none", GATEHOUSE_EDGE_NONE_REASON: "dev" })).toThrow(
        expect.objectContaining({ code: "ERR_CONFIG_INVALID", details: { variables: ["GATEHOUSE_EDGE_NONE_REASON"] } }),
      );
    });
  });
});
