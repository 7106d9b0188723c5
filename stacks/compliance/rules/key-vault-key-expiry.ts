import { compliantIf, type ComplianceRule } from "../rule";

/** The Key Vault key has no expiration date. */
export const KeyVaultKeyExpiry: ComplianceRule = {
  id: "CKV_AZURE_40",
  info: "The Key Vault key has no expiration date.",
  explanation:
    "Keys that never expire are never rotated. Set expiration_date (and a rotation_policy) on every key.",
  control: "CC6.1",
  resourceTypes: ["azurerm_key_vault_key"],
  check: (r) => {
    return compliantIf(typeof r.config.expiration_date === "string" && r.config.expiration_date.length > 0);
  },
};
