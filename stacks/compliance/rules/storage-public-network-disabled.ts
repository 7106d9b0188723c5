import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse } from "../config-reader";

/** The storage account allows public network access. */
export const StoragePublicNetworkDisabled: ComplianceRule = {
  id: "CKV_AZURE_59",
  info: "The storage account allows public network access.",
  explanation:
    "The audit archive is reached only through private endpoints. Set public_network_access_enabled = false.",
  control: "CC6.6",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    return compliantIf(isFalse(r.config.public_network_access_enabled));
  },
};
