import { compliantIf, type ComplianceRule } from "../rule";
import { referencing } from "../config-reader";

/** The storage account has no private endpoint. */
export const StoragePrivateEndpoint: ComplianceRule = {
  id: "CKV2_AZURE_33",
  info: "The storage account has no private endpoint.",
  explanation:
    "With public access off, private endpoints are the only path from the apps to the audit archive. Add an azurerm_private_endpoint for the blob (and table) sub-resources.",
  control: "CC6.6",
  resourceTypes: ["azurerm_storage_account"],
  check: (r, ctx) => {
    return compliantIf(
      referencing(ctx, "azurerm_private_endpoint", "private_service_connection.private_connection_resource_id", r)
        .length > 0,
    );
  },
};
