import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse } from "../config-reader";

/** The storage account allows shared key authorization. */
export const StorageSharedKeyDisabled: ComplianceRule = {
  id: "CKV2_AZURE_40",
  info: "The storage account allows shared key authorization.",
  explanation:
    "Account keys grant full access without identity or audit. Set shared_access_key_enabled = false so every call is made with Entra ID.",
  control: "CC6.1",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    return compliantIf(isFalse(r.config.shared_access_key_enabled));
  },
};
