import { compliantIf, type ComplianceRule } from "../rule";

/** The blob container is not private. */
export const StorageContainerPrivate: ComplianceRule = {
  id: "CKV_AZURE_34",
  info: "The blob container is not private.",
  explanation:
    'Containers hold audit records and the policy bundle; none may be public. Set container_access_type = "private" (the default).',
  control: "CC6.1",
  resourceTypes: ["azurerm_storage_container"],
  check: (r) => {
    return compliantIf((r.config.container_access_type ?? "private") === "private");
  },
};
