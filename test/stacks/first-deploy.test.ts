/**
 * What a first `npm run deploy` on a fresh subscription needs from the synthesized stack, and that
 * the next plan changes nothing (issue 13 items 1-4).
 */
import { Testing } from "cdktf";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { defaultStack, resourcesOf } from "./support/default-stack";

describe("first deploy on a fresh subscription", () => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = Testing.synth(defaultStack());
  });

  test("the provider skips storage data-plane probes and registers exactly the namespaces the stack uses, Microsoft.App included", () => {
    const [azurerm] = (JSON.parse(synthesized).provider as Record<string, Record<string, unknown>[]>).azurerm;
    expect(azurerm.features).toEqual([expect.objectContaining({ storage: [{ data_plane_available: false }] })]);
    expect(azurerm.resource_provider_registrations).toBe("none");
    expect(azurerm.resource_providers_to_register).toEqual(
      expect.arrayContaining(["Microsoft.App", "Microsoft.KeyVault", "Microsoft.Storage", "microsoft.insights"]),
    );
  });

  test("the azapi provider (ARM writes: secrets, tables) targets the same subscription and tenant", () => {
    const parsed = JSON.parse(synthesized);
    expect(parsed.terraform.required_providers.azapi).toEqual({ source: "azure/azapi", version: "~> 2.5" });
    expect(parsed.provider.azapi).toEqual([
      { subscription_id: "00000000-0000-0000-0000-000000000000", tenant_id: "00000000-0000-0000-0000-000000000000" },
    ]);
  });

  test("the environment's infrastructure resource group is named, so no later plan replaces it", () => {
    expect(synthesized).toHaveResourceWithProperties(ContainerAppEnvironment, {
      infrastructure_resource_group_name: "rg-gatehouse-prod-cae-infra",
    });
  });

  test("synthesizing twice gives identical Terraform (nothing generated per run)", () => {
    expect(Testing.synth(defaultStack())).toEqual(synthesized);
  });

  test("every consumer of a role assignment waits for it through a time_sleep", () => {
    const sleeps = resourcesOf(synthesized, "time_sleep");
    expect(Object.keys(sleeps).length).toBeGreaterThanOrEqual(2);
    for (const sleep of Object.values(sleeps)) {
      expect(sleep.create_duration).toBe("60s");
      expect((sleep.depends_on as string[]).every((d) => d.startsWith("azurerm_role_assignment."))).toBe(true);
    }
    for (const app of Object.values(resourcesOf(synthesized, "azurerm_container_app"))) {
      const deps = app.depends_on as string[];
      expect(deps.some((d) => d.startsWith("time_sleep."))).toBe(true);
      expect(deps.some((d) => d.startsWith("azurerm_role_assignment."))).toBe(false);
    }
    // The gateway waits for its Key Vault, storage, telemetry and bundle grants (8 in this bundle).
    const gatewayWait = Object.entries(sleeps).find(([id]) => id.includes("gateway-rbac-propagation"))![1];
    expect((gatewayWait.depends_on as string[]).length).toBeGreaterThanOrEqual(6);
  });
});
