import { compliantIf, type ComplianceRule } from "../rule";

/** The storage account accepts TLS versions older than 1.2. */
export const StorageMinTls12: ComplianceRule = {
  id: "CKV_AZURE_44",
  info: "The storage account accepts TLS versions older than 1.2.",
  explanation: 'Audit records in transit must be protected with current TLS. Set min_tls_version = "TLS1_2".',
  control: "CC6.7",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    return compliantIf(r.config.min_tls_version === "TLS1_2" || r.config.min_tls_version === "TLS1_3");
  },
};
