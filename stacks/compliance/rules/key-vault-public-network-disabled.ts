import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse } from "../config-reader";

/** The Key Vault allows public network access. */
export const KeyVaultPublicNetworkDisabled: ComplianceRule = {
  id: "CKV_AZURE_189",
  info: "The Key Vault allows public network access.",
  explanation:
    "Gatehouse reaches Key Vault only from inside the VNet. Set public_network_access_enabled = false and use the private endpoint.",
  control: "CC6.6",
  resourceTypes: ["azurerm_key_vault"],
  check: (r) => {
    return compliantIf(isFalse(r.config.public_network_access_enabled));
  },
};
