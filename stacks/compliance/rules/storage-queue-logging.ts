import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue, read } from "../config-reader";

/** The storage account does not log queue read, write and delete requests. */
export const StorageQueueLogging: ComplianceRule = {
  id: "CKV_AZURE_33",
  info: "The storage account does not log queue read, write and delete requests.",
  explanation:
    "Queue access should be logged. Set queue_properties { logging { read, write, delete = true } } or, when the account has no queues, suppress with the reason.",
  control: "CC7.2",
  resourceTypes: ["azurerm_storage_account"],
  check: (r) => {
    const logging = read(r.config, "queue_properties.logging");
    return compliantIf(["read", "write", "delete"].every((op) => isTrue(read(logging, op))));
  },
};
