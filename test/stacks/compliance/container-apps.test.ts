import { ContainerApp, type ContainerAppIngress } from "@cdktf/provider-azurerm/lib/container-app";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { Fn } from "cdktf";
import { grantRole } from "../../../stacks/role-grant";
import { waitForRbac } from "../../../stacks/rbac-propagation";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

const ingress = (over: Partial<ContainerAppIngress> = {}): ContainerAppIngress => ({
  externalEnabled: false,
  allowInsecureConnections: false,
  targetPort: 8080,
  trafficWeight: [{ latestRevision: true, percentage: 100 }],
  ...over,
});

/** `rbac`: how the app waits for its grant (by default through a time_sleep, as the stack does). */
/**
 * `trusted`: the gateway's GATEHOUSE_TRUSTED_PROXIES — `environment-subnet` (as the stack sets it:
 * derived from the environment's own subnet), `other-subnet`, or a literal value.
 */
function apps(opts: {
  role?: string;
  ingress?: ContainerAppIngress;
  subnet?: string;
  rbac?: "sleep" | "direct" | "none";
  profile?: boolean;
  infraRg?: string;
  trusted?: string;
}) {
  return nagStack((stack) => {
    // Real subnets (each with its NSG, as CKV2_AZURE_31 wants) only when a test names one.
    const subnets =
      opts.subnet !== "apps-subnet"
        ? []
        : ["apps", "other"].map((n) => {
            const subnet = new Subnet(stack, `${n}-subnet`, {
              name: n,
              resourceGroupName: "rg",
              virtualNetworkName: "vnet",
              addressPrefixes: ["10.0.0.0/23"],
            });
            const nsg = new NetworkSecurityGroup(stack, `${n}-nsg`, { ...RG, name: `nsg-${n}` });
            new SubnetNetworkSecurityGroupAssociation(stack, `${n}-nsg-association`, {
              subnetId: subnet.id,
              networkSecurityGroupId: nsg.id,
            });
            return subnet;
          });
    const fromSubnet = (s: Subnet) => Fn.join(",", s.addressPrefixes);
    const trusted =
      opts.trusted === "environment-subnet"
        ? fromSubnet(subnets[0])
        : opts.trusted === "other-subnet"
          ? fromSubnet(subnets[1])
          : opts.trusted;
    const env = new ContainerAppEnvironment(stack, "env", {
      ...RG,
      name: "cae",
      infrastructureSubnetId: opts.subnet === "apps-subnet" ? subnets[0].id : opts.subnet,
      workloadProfile: opts.profile ? [{ name: "Consumption", workloadProfileType: "Consumption" }] : undefined,
      infrastructureResourceGroupName: opts.infraRg,
      // Internal, as GH_EDGE_1 requires (test/stacks/compliance/edge.test.ts covers the public case).
      internalLoadBalancerEnabled: true,
      publicNetworkAccess: "Disabled",
    });
    const grant = grantRole(stack, "grant", {
      role: "Key Vault Secrets User",
      scope: "kv",
      principalId: "p",
      description: "reads its secret",
    });
    const rbac = opts.rbac ?? "sleep";
    new MonitorDiagnosticSetting(stack, "diag", {
      name: "d",
      targetResourceId: env.id,
      logAnalyticsWorkspaceId: "w",
      enabledLog: [{ categoryGroup: "allLogs" }],
    });
    new ContainerApp(stack, "app", {
      name: "app",
      resourceGroupName: "rg",
      containerAppEnvironmentId: env.id,
      revisionMode: "Single",
      ingress: opts.ingress,
      template: {
        container: [
          {
            name: "c",
            image: "i",
            cpu: 0.5,
            memory: "1Gi",
            env: trusted === undefined ? undefined : [{ name: "GATEHOUSE_TRUSTED_PROXIES", value: trusted }],
          },
        ],
      },
      tags: opts.role ? { "gatehouse-role": opts.role } : undefined,
      dependsOn: rbac === "sleep" ? [waitForRbac(stack, "wait", [grant])] : rbac === "direct" ? [grant] : undefined,
    });
  });
}

describe("Container Apps", () => {
  describe("GH_CA_1: HTTPS only", () => {
    test("Noncompliance 1: insecure connections allowed", () =>
      expectSynthFails(
        apps({ subnet: "s", ingress: ingress({ externalEnabled: true, allowInsecureConnections: true }) }),
        "GH_CA_1",
      ));
    test("Compliance", () =>
      expect(ruleIds(apps({ subnet: "s", ingress: ingress({ externalEnabled: true }) }))).toEqual([]));
  });
  describe("GH_CA_2: the agent is never external", () => {
    test("Noncompliance 1: external agent", () =>
      expectSynthFails(apps({ subnet: "s", role: "agent", ingress: ingress({ externalEnabled: true }) }), "GH_CA_2"));
    test("Compliance: internal agent", () =>
      expect(ruleIds(apps({ subnet: "s", role: "agent", ingress: ingress() }))).toEqual([]));
    test("Compliance: an external gateway is not the agent", () =>
      expect(
        ruleIds(
          apps({
            subnet: "apps-subnet",
            trusted: "environment-subnet",
            role: "gateway",
            ingress: ingress({ externalEnabled: true }),
          }),
        ),
      ).toEqual([]));
  });
  describe("GH_CA_5: the gateway believes X-Forwarded-For from its environment's subnet only", () => {
    const gateway = (trusted?: string) =>
      apps({ subnet: "apps-subnet", trusted, role: "gateway", ingress: ingress({ externalEnabled: true }) });
    test("Noncompliance 1: not set (every client shares the ingress address)", () =>
      expectSynthFails(gateway(), "GH_CA_5"));
    test("Noncompliance 2: everyone", () => expectSynthFails(gateway("0.0.0.0/0"), "GH_CA_5"));
    test("Noncompliance 3: another subnet than the environment's", () =>
      expectSynthFails(gateway("other-subnet"), "GH_CA_5"));
    test("Compliance: the environment's infrastructure subnet", () =>
      expect(ruleIds(gateway("environment-subnet"))).toEqual([]));
    test("Compliance: the agent trusts no proxy and is not concerned", () =>
      expect(ruleIds(apps({ subnet: "apps-subnet", role: "agent", ingress: ingress() }))).toEqual([]));
  });
  describe("GH_CA_3: VNet-integrated environment", () => {
    test("Noncompliance 1: no infrastructure subnet", () => expectSynthFails(apps({ ingress: ingress() }), "GH_CA_3"));
    test("Compliance", () => expect(ruleIds(apps({ subnet: "s", ingress: ingress() }))).toEqual([]));
  });
  describe("GH_CA_4: the infrastructure resource group is named", () => {
    test("Noncompliance 1: workload profile without infrastructure_resource_group_name", () =>
      expectSynthFails(apps({ subnet: "s", ingress: ingress(), profile: true }), "GH_CA_4"));
    test("Compliance", () =>
      expect(ruleIds(apps({ subnet: "s", ingress: ingress(), profile: true, infraRg: "rg-infra" }))).toEqual([]));
    test("Compliance: not applicable without a workload profile", () =>
      expect(ruleIds(apps({ subnet: "s", ingress: ingress() }))).toEqual([]));
  });
  describe("GH_IAM_2: apps wait for their grants to propagate", () => {
    test("Noncompliance 1: the app depends on the role assignment directly", () =>
      expectSynthFails(apps({ subnet: "s", ingress: ingress(), rbac: "direct" }), "GH_IAM_2"));
    test("Noncompliance 2: the app does not wait at all", () =>
      expectSynthFails(apps({ subnet: "s", ingress: ingress(), rbac: "none" }), "GH_IAM_2"));
    test("Compliance: through a time_sleep on the grants", () =>
      expect(ruleIds(apps({ subnet: "s", ingress: ingress() }))).toEqual([]));
  });
});
