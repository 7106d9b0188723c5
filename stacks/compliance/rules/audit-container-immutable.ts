import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue, referencing } from "../config-reader";

/** The audit container has no immutability policy with protected append writes. */
export const AuditContainerImmutable: ComplianceRule = {
  id: "GH_WORM_1",
  info: "The audit container has no immutability policy with protected append writes.",
  explanation:
    "Audit records must be write-once: existing records can never be modified or deleted while new ones are appended. Add an azurerm_storage_container_immutability_policy with protected_append_writes_enabled = true (append blobs only; _all_enabled also opens existing block blobs to new blocks).",
  control: "CC7.2, CC8.1",
  resourceTypes: ["azurerm_storage_container"],
  check: (r, ctx) => {
    if (r.config.name !== "audit") return "not-applicable";
    const policies = referencing(
      ctx,
      "azurerm_storage_container_immutability_policy",
      "storage_container_resource_manager_id",
      r,
    );
    return compliantIf(
      policies.some(
        (p) =>
          Number(p.config.immutability_period_in_days) >= 1 &&
          (isTrue(p.config.protected_append_writes_all_enabled) || isTrue(p.config.protected_append_writes_enabled)),
      ),
    );
  },
};
