import { compliantIf, type ComplianceRule } from "../rule";
import { read } from "../config-reader";

/** The storage account network rules do not let trusted Azure services through. */
export const StorageTrustedServicesBypass: ComplianceRule = {
  id: "CKV_AZURE_36",
  info: "The storage account network rules do not let trusted Azure services through.",
  explanation:
    'With default Deny, trusted Microsoft services (monitoring, backup) still need access. Set network_rules { bypass = ["AzureServices"] }.',
  control: "A1.2",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    const bypass = read(r.config, "network_rules.bypass");
    return compliantIf(Array.isArray(bypass) && bypass.includes("AzureServices"));
  },
};
