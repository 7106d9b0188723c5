import { compliantIf, type ComplianceRule } from "../rule";
import { armProperties } from "../arm-properties";

/** The Key Vault key has no expiration date. */
export const KeyVaultKeyExpiry: ComplianceRule = {
  id: "CKV_AZURE_40",
  info: "The Key Vault key has no expiration date.",
  explanation:
    "Keys that never expire are never rotated. Set expiration_date (through ARM: properties.attributes.exp, and a rotationPolicy whose versions expire) on every key.",
  control: "CC6.1",
  resourceTypes: ["azurerm_key_vault_key", "azapi_resource"],
  check: (r) => {
    if (r.type === "azapi_resource") {
      const arm = armProperties(r, "Microsoft.KeyVault/vaults/keys");
      if (arm === undefined) return "not-applicable";
      const exp = (arm.attributes as Record<string, unknown> | undefined)?.exp;
      const versionsExpire =
        typeof (arm.rotationPolicy as { attributes?: { expiryTime?: unknown } } | undefined)?.attributes?.expiryTime ===
        "string";
      return compliantIf((typeof exp === "number" || (typeof exp === "string" && exp.length > 0)) && versionsExpire);
    }
    return compliantIf(typeof r.config.expiration_date === "string" && r.config.expiration_date.length > 0);
  },
};
