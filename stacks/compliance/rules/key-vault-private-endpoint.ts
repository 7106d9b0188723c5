import { compliantIf, type ComplianceRule } from "../rule";
import { referencing } from "../config-reader";

/** The Key Vault has no private endpoint. */
export const KeyVaultPrivateEndpoint: ComplianceRule = {
  id: "CKV2_AZURE_32",
  info: "The Key Vault has no private endpoint.",
  explanation:
    "With public access off, a private endpoint (with its privatelink.vaultcore.azure.net zone) is the only way the apps reach the vault. Add an azurerm_private_endpoint whose private_service_connection points at the vault.",
  control: "CC6.6",
  resourceTypes: ["azurerm_key_vault"],
  check: (r, ctx) => {
    return compliantIf(
      referencing(ctx, "azurerm_private_endpoint", "private_service_connection.private_connection_resource_id", r)
        .length > 0,
    );
  },
};
