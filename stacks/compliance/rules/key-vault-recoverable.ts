import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue } from "../config-reader";

/** The Key Vault is not recoverable: purge protection or soft-delete retention is missing. */
export const KeyVaultRecoverable: ComplianceRule = {
  id: "CKV_AZURE_42",
  info: "The Key Vault is not recoverable: purge protection or soft-delete retention is missing.",
  explanation:
    "Keys and secrets that sign tokens and reach upstreams must survive accidental or malicious deletion. Set purge_protection_enabled = true and soft_delete_retention_days (Gatehouse uses 90).",
  control: "A1.2, CC6.1",
  resourceTypes: ["azurerm_key_vault"],
  check: (r) => {
    const days = Number(r.config.soft_delete_retention_days);
    return compliantIf(isTrue(r.config.purge_protection_enabled) && Number.isInteger(days) && days >= 7);
  },
};
