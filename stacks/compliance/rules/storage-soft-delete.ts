import { compliantIf, type ComplianceRule } from "../rule";
import { read } from "../config-reader";

/** The storage account has no soft delete for blobs. */
export const StorageSoftDelete: ComplianceRule = {
  id: "CKV2_AZURE_38",
  info: "The storage account has no soft delete for blobs.",
  explanation: "Deleted blobs must stay recoverable. Set blob_properties { delete_retention_policy { days = N } }.",
  control: "A1.2",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    const days = Number(read(r.config, "blob_properties.delete_retention_policy.days"));
    return compliantIf(Number.isInteger(days) && days >= 1);
  },
};
