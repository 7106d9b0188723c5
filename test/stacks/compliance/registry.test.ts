import { ContainerRegistry, type ContainerRegistryConfig } from "@cdktf/provider-azurerm/lib/container-registry";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
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
