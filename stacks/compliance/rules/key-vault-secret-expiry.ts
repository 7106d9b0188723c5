import { compliantIf, type ComplianceRule } from "../rule";

/** The Key Vault secret has no expiration date. */
export const KeyVaultSecretExpiry: ComplianceRule = {
  id: "CKV_AZURE_41",
  info: "The Key Vault secret has no expiration date.",
  explanation:
    "Credentials that never expire are never rotated. Set expiration_date on every secret and rotate before it passes.",
  control: "CC6.1",
  resourceTypes: ["azurerm_key_vault_secret"],
  check: (r) => {
    return compliantIf(typeof r.config.expiration_date === "string" && r.config.expiration_date.length > 0);
  },
};
