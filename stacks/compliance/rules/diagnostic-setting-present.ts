import { compliantIf, type ComplianceRule } from "../rule";
import { referencing } from "../config-reader";

/** The resource has no diagnostic setting. */
export const DiagnosticSettingPresent: ComplianceRule = {
  id: "GH_DIAG_1",
  info: "The resource has no diagnostic setting.",
  explanation:
    "Access to keys, secrets and the audit archive, the apps' system logs and the edge's access and WAF logs, must be logged to the workspace. Add an azurerm_monitor_diagnostic_setting targeting the resource (for storage: its blob and table services).",
  control: "CC7.2",
  resourceTypes: [
    "azurerm_key_vault",
    "azurerm_storage_account",
    "azurerm_container_app_environment",
    "azurerm_cdn_frontdoor_profile",
  ],
  check: (r, ctx) => {
    return compliantIf(referencing(ctx, "azurerm_monitor_diagnostic_setting", "target_resource_id", r).length > 0);
  },
};
