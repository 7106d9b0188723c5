import { compliantIf, type ComplianceRule } from "../rule";

/** The storage account is not geo-replicated. */
export const StorageGeoReplication: ComplianceRule = {
  id: "CKV_AZURE_206",
  info: "The storage account is not geo-replicated.",
  explanation: "Evidence must survive a regional outage. Set account_replication_type to GZRS (or GRS, RAGRS, RAGZRS).",
  control: "A1.2",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    return compliantIf(["GRS", "RAGRS", "GZRS", "RAGZRS"].includes(String(r.config.account_replication_type)));
  },
};
