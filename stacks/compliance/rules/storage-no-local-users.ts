import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse } from "../config-reader";

/** The storage account allows local users. */
export const StorageNoLocalUsers: ComplianceRule = {
  id: "CKV_AZURE_244",
  info: "The storage account allows local users.",
  explanation: "Local users bypass Entra ID and RBAC. Set local_user_enabled = false (and sftp_enabled = false).",
  control: "CC6.1",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    return compliantIf(isFalse(r.config.local_user_enabled));
  },
};
