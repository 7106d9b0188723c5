/**
 * The azurerm provider as a first deploy on a fresh subscription needs it:
 * - Resource providers: azurerm 4.x registers its "legacy" set by default, which lacks
 *   Microsoft.App, so a fresh subscription fails with MissingSubscriptionRegistration
 *   (terraform-provider-azurerm v4.55.0 internal/resourceproviders/required.go). We register
 *   exactly what the stack uses (`resource_provider_registrations = "none"` plus the list, merged
 *   in internal/provider/provider.go buildClient), and GH_PROV_2 checks the list covers every
 *   resource type in the stack.
 * - `storage { data_plane_available = false }`: with public network access off, the storage
 *   account's post-create data-plane checks (blob, queue, static website) get 403; the flag makes
 *   azurerm_storage_account use the management plane only (storage_account_resource.go, v4.55.0;
 *   website/docs/guides/features-block). Checked by GH_PROV_1.
 */
import type { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";

/**
 * Resource provider namespaces the stack needs (spelled as Azure lists them; the provider compares
 * them case-sensitively). Microsoft.Resources and Microsoft.Authorization are registered in every
 * subscription; they are listed so the list is complete on its own.
 */
export const REQUIRED_RESOURCE_PROVIDERS = [
  "Microsoft.Resources",
  "Microsoft.Authorization",
  "Microsoft.Network",
  "Microsoft.ManagedIdentity",
  "Microsoft.KeyVault",
  "Microsoft.Storage",
  "Microsoft.OperationalInsights",
  "microsoft.insights",
  "Microsoft.App",
  "Microsoft.ContainerRegistry",
  // Front Door profiles, endpoints, origins, routes and security policies (the edge).
  "Microsoft.Cdn",
] as const;

export interface GatehouseProviderProps {
  readonly subscriptionId: string;
  readonly tenantId: string;
}

export function gatehouseAzurermProvider(scope: Construct, id: string, props: GatehouseProviderProps): AzurermProvider {
  return new AzurermProvider(scope, id, {
    subscriptionId: props.subscriptionId,
    tenantId: props.tenantId,
    // Shared keys are disabled on the storage account: data-plane calls use Entra ID.
    storageUseAzuread: true,
    resourceProviderRegistrations: "none",
    resourceProvidersToRegister: [...REQUIRED_RESOURCE_PROVIDERS],
    features: [
      {
        keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
        storage: [{ dataPlaneAvailable: false }],
      },
    ],
  });
}
