import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue } from "../config-reader";

/** The Key Vault does not have purge protection enabled. */
export const KeyVaultPurgeProtection: ComplianceRule = {
  id: "CKV_AZURE_110",
  info: "The Key Vault does not have purge protection enabled.",
  explanation:
    "Without purge protection a deleted vault (and the signing key) can be destroyed for good within the retention period. Set purge_protection_enabled = true.",
  control: "A1.2, CC6.1",
  resourceTypes: ["azurerm_key_vault"],
  check: (r) => {
    return compliantIf(isTrue(r.config.purge_protection_enabled));
  },
};
