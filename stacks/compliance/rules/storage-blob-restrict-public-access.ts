import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse } from "../config-reader";

/** The storage account lets containers or blobs be made public. */
export const StorageBlobRestrictPublicAccess: ComplianceRule = {
  id: "CKV_AZURE_190",
  info: "The storage account lets containers or blobs be made public.",
  explanation:
    "No audit record or policy bundle may ever be anonymously readable. Set allow_nested_items_to_be_public = false.",
  control: "CC6.1",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    return compliantIf(isFalse(r.config.allow_nested_items_to_be_public));
  },
};
