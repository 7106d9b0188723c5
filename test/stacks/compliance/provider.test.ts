import { TerraformResource } from "cdktf";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import type { AzurermProviderConfig } from "@cdktf/provider-azurerm/lib/provider";
import { REQUIRED_RESOURCE_PROVIDERS } from "../../../stacks/azurerm-provider";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

const compliant: AzurermProviderConfig = {
  resourceProviderRegistrations: "none",
  resourceProvidersToRegister: [...REQUIRED_RESOURCE_PROVIDERS],
  features: [{ storage: [{ dataPlaneAvailable: false }] }],
};

/** A resource group and a Container Apps environment (Microsoft.App), under a given provider. */
const withProvider = (provider: AzurermProviderConfig) =>
  nagStack((stack) => {
    new ResourceGroup(stack, "rg", { name: "rg", location: "westeurope" });
    new ContainerAppEnvironment(stack, "env", { ...RG, name: "cae", infrastructureSubnetId: "s" });
  }, provider);

describe("azurerm provider", () => {
  test("GH_PROV_1 Noncompliance 1: storage data-plane probes left on (the default)", () =>
    expectSynthFails(withProvider({ ...compliant, features: [{}] }), "GH_PROV_1"));
  test("GH_PROV_1 Noncompliance 2: data_plane_available = true", () =>
    expectSynthFails(
      withProvider({ ...compliant, features: [{ storage: [{ dataPlaneAvailable: true }] }] }),
      "GH_PROV_1",
    ));
  test("GH_PROV_1 Compliance", () => expect(ruleIds(withProvider(compliant))).not.toContain("GH_PROV_1"));

  test("GH_PROV_2 Noncompliance 1: the default (legacy) registrations, which lack Microsoft.App", () =>
    expectSynthFails(withProvider({ features: compliant.features }), "GH_PROV_2"));
  test("GH_PROV_2 Noncompliance 2: Microsoft.App missing from the list", () =>
    expectSynthFails(
      withProvider({
        ...compliant,
        resourceProvidersToRegister: REQUIRED_RESOURCE_PROVIDERS.filter((n) => n !== "Microsoft.App"),
      }),
      "GH_PROV_2",
    ));
  // (the bare environment trips GH_DIAG_1, which is not under test here)
  test("GH_PROV_2 Compliance", () => expect(ruleIds(withProvider(compliant))).not.toContain("GH_PROV_2"));
  test("GH_PROV_2: an azurerm resource type nobody classified counts as a violation (fail closed)", () => {
    // An unmapped type, synthesized as an escape-hatch resource.
    const stack = nagStack(
      (s) => new TerraformResource(s, "x", { terraformResourceType: "azurerm_unclassified_thing" }),
    );
    expect(ruleIds(stack)).toContain("GH_PROV_2");
  });
});
