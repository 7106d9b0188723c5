import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse, read, refersTo, resourcesOfType } from "../config-reader";

/** The storage account or one of its containers allows anonymous blob access. */
export const StorageNoBlobAnonymousAccess: ComplianceRule = {
  id: "CKV2_AZURE_47",
  info: "The storage account or one of its containers allows anonymous blob access.",
  explanation:
    "Anonymous access would expose audit records. Set allow_nested_items_to_be_public = false and keep every container private.",
  control: "CC6.1",
  resourceTypes: ["azurerm_storage_account"],
  check: (r, ctx) => {
    const publicContainers = resourcesOfType(ctx, "azurerm_storage_container").filter(
      (c) =>
        (refersTo(c.config.storage_account_id, r) || refersTo(c.config.storage_account_name, r)) &&
        (read(c.config, "container_access_type") ?? "private") !== "private",
    );
    return compliantIf(isFalse(r.config.allow_nested_items_to_be_public) && publicContainers.length === 0);
  },
};
