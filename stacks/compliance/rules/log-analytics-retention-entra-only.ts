import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse, isTrue } from "../config-reader";

/** The Log Analytics workspace keeps logs less than 365 days or accepts local (shared key) auth. */
export const LogAnalyticsRetentionEntraOnly: ComplianceRule = {
  id: "GH_LA_1",
  info: "The Log Analytics workspace keeps logs less than 365 days or accepts local (shared key) auth.",
  explanation:
    "Audit evidence must cover the audit period, and only identities may write or read it. Set retention_in_days >= 365 and local_authentication_enabled = false.",
  control: "CC7.2",
  resourceTypes: ["azurerm_log_analytics_workspace"],
  check: (r) => {
    const retention = Number(r.config.retention_in_days);
    const localOff = isFalse(r.config.local_authentication_enabled) || isTrue(r.config.local_authentication_disabled);
    return compliantIf(retention >= 365 && localOff);
  },
};
