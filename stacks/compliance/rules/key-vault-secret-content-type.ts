import { compliantIf, type ComplianceRule } from "../rule";
import { armSecretProperties } from "../arm-secret-properties";

/** The Key Vault secret has no content type. */
export const KeyVaultSecretContentType: ComplianceRule = {
  id: "CKV_AZURE_114",
  info: "The Key Vault secret has no content type.",
  explanation:
    "A content type tells operators what a secret is and how to rotate it. Set content_type on every secret (through ARM: properties.contentType).",
  control: "CC6.1",
  resourceTypes: ["azurerm_key_vault_secret", "azapi_resource"],
  check: (r) => {
    const contentType = r.type === "azapi_resource" ? armSecretProperties(r)?.contentType : r.config.content_type;
    if (r.type === "azapi_resource" && armSecretProperties(r) === undefined) return "not-applicable";
    return compliantIf(typeof contentType === "string" && contentType.trim().length > 0);
  },
};
