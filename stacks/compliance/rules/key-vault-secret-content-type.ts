import { compliantIf, type ComplianceRule } from "../rule";

/** The Key Vault secret has no content type. */
export const KeyVaultSecretContentType: ComplianceRule = {
  id: "CKV_AZURE_114",
  info: "The Key Vault secret has no content type.",
  explanation:
    "A content type tells operators what a secret is and how to rotate it. Set content_type on every secret.",
  control: "CC6.1",
  resourceTypes: ["azurerm_key_vault_secret"],
  check: (r) => {
    return compliantIf(typeof r.config.content_type === "string" && r.config.content_type.trim().length > 0);
  },
};
