import { ContainerRegistry, type ContainerRegistryConfig } from "@cdktf/provider-azurerm/lib/container-registry";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { Construct } from "constructs";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { Network } from "../../../stacks/network";
import { registryPrivateAccess } from "../../../stacks/registry-private-access";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

const secure: ContainerRegistryConfig = {
  ...RG,
  name: "acr",
  sku: "Premium",
  adminEnabled: false,
  publicNetworkAccessEnabled: false,
};

const registry = (over: Partial<ContainerRegistryConfig> = {}, withEndpoint = true) =>
  nagStack((stack) => {
    const acr = new ContainerRegistry(stack, "acr", { ...secure, ...over });
    if (withEndpoint) {
      new PrivateEndpoint(stack, "pe", {
        ...RG,
        name: "pe",
        subnetId: "s",
        privateServiceConnection: {
          name: "c",
          isManualConnection: false,
          privateConnectionResourceId: acr.id,
          subresourceNames: ["registry"],
        },
      });
    }
  });

describe("container registry", () => {
  test("GH_ACR_1 Noncompliance 1: public network access left on (the default)", () =>
    expectSynthFails(registry({ publicNetworkAccessEnabled: undefined }), "GH_ACR_1"));
  test("GH_ACR_1 Noncompliance 2: admin user", () => expectSynthFails(registry({ adminEnabled: true }), "GH_ACR_1"));
  test("GH_ACR_1 Noncompliance 3: no private endpoint", () => expectSynthFails(registry({}, false), "GH_ACR_1"));
  test("GH_ACR_1 Compliance", () => expect(ruleIds(registry())).toEqual([]));
});

/** Two regions' VNets, each with an environment pulling from one private registry; `reach` lists the VNets given an endpoint. */
const twoRegions = (reach: ("a" | "b")[], linkZone = true) =>
  nagStack((stack) => {
    const acr = new ContainerRegistry(stack, "acr", secure);
    for (const region of ["a", "b"] as const) {
      const network = new Network(stack, `net-${region}`, {
        ...RG,
        prefix: region,
        vnetName: `vnet-${region}`,
        vnetCidr: "10.40.0.0/16",
        appsSubnetCidr: "10.40.0.0/23",
        endpointsSubnetCidr: "10.40.2.0/24",
        internetIngress: false,
        tags: {},
      });
      new ContainerAppEnvironment(stack, `env-${region}`, {
        ...RG,
        name: `cae-${region}`,
        infrastructureSubnetId: network.appsSubnet.id,
        internalLoadBalancerEnabled: true,
      });
      if (!reach.includes(region)) continue;
      const access = registryPrivateAccess(new Construct(stack, `registry-${region}`), {
        ...RG,
        registryId: acr.id,
        network,
        prefix: region,
        tags: {},
      });
      if (!linkZone && region === "b") access.link.virtualNetworkId = "/subscriptions/x/virtualNetworks/elsewhere";
    }
  });

describe("container registry across regions (GATEHOUSE_REGIONS with GATEHOUSE_CREATE_ACR=true)", () => {
  const acrOnly = (ids: string[]) => ids.filter((id) => id === "GH_ACR_1");
  test("GH_ACR_1 Noncompliance 4: the second region's VNet has no endpoint to the registry", () =>
    expect(acrOnly(ruleIds(twoRegions(["a"])))).toEqual(["GH_ACR_1"]));
  test("GH_ACR_1 Noncompliance 5: its endpoint's zone is not linked to its VNet (names would not resolve)", () =>
    expect(acrOnly(ruleIds(twoRegions(["a", "b"], false)))).toEqual(["GH_ACR_1"]));
  test("GH_ACR_1 Compliance 2: every region's VNet has its own endpoint and linked zone", () =>
    expect(acrOnly(ruleIds(twoRegions(["a", "b"])))).toEqual([]));
});
