import { compliantIf, type ComplianceRule } from "../rule";
import { armSecretProperties } from "../arm-secret-properties";

/** The Key Vault secret has no expiration date. */
export const KeyVaultSecretExpiry: ComplianceRule = {
  id: "CKV_AZURE_41",
  info: "The Key Vault secret has no expiration date.",
  explanation:
    "Credentials that never expire are never rotated. Set expiration_date on every secret (through ARM: properties.attributes.exp) and rotate before it passes.",
  control: "CC6.1",
  resourceTypes: ["azurerm_key_vault_secret", "azapi_resource"],
  check: (r) => {
    if (r.type === "azapi_resource") {
      const arm = armSecretProperties(r);
      if (arm === undefined) return "not-applicable";
      const exp = (arm.attributes as Record<string, unknown> | undefined)?.exp;
      return compliantIf(typeof exp === "number" || (typeof exp === "string" && exp.length > 0));
    }
    return compliantIf(typeof r.config.expiration_date === "string" && r.config.expiration_date.length > 0);
  },
};
