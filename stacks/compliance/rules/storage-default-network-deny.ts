import { compliantIf, type ComplianceRule } from "../rule";
import { read } from "../config-reader";

/** The storage account network rules do not deny by default. */
export const StorageDefaultNetworkDeny: ComplianceRule = {
  id: "CKV_AZURE_35",
  info: "The storage account network rules do not deny by default.",
  explanation:
    'The audit archive must not be reachable from arbitrary networks. Set network_rules { default_action = "Deny" }.',
  control: "CC6.6",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    return compliantIf(read(r.config, "network_rules.default_action") === "Deny");
  },
};
