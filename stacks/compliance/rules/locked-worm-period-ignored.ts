import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue, read } from "../config-reader";

/** A locked immutability policy lets Terraform change its period. */
export const LockedWormPeriodIgnored: ComplianceRule = {
  id: "GH_WORM_2",
  info: "A locked immutability policy's period is managed by Terraform.",
  explanation:
    "A locked policy can only be extended (ExtendImmutabilityPolicy); azurerm v4.55.0 updates with CreateOrUpdate and refuses increases at plan, so raising the period breaks every later deploy. Extend out of band (az storage container immutability-policy extend) and set lifecycle { ignore_changes = [immutability_period_in_days] } once locked.",
  control: "CC7.2, CC8.1",
  resourceTypes: ["azurerm_storage_container_immutability_policy"],
  check: (r) => {
    if (!isTrue(r.config.locked)) return "not-applicable";
    const ignored = read(r.config, "lifecycle.ignore_changes");
    return compliantIf(
      ignored === "all" || (Array.isArray(ignored) && ignored.includes("immutability_period_in_days")),
    );
  },
};
