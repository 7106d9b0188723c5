import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue } from "../config-reader";

/** Application Insights is not workspace-based or accepts local (instrumentation key) auth. */
export const AppInsightsWorkspaceEntraOnly: ComplianceRule = {
  id: "GH_AI_1",
  info: "Application Insights is not workspace-based or accepts local (instrumentation key) auth.",
  explanation:
    "Telemetry (including audit anchors) must land in the Log Analytics workspace and be written only with Entra ID. Set workspace_id and local_authentication_disabled = true.",
  control: "CC7.2",
  resourceTypes: ["azurerm_application_insights"],
  check: (r) => {
    return compliantIf(
      typeof r.config.workspace_id === "string" &&
        r.config.workspace_id.length > 0 &&
        isTrue(r.config.local_authentication_disabled),
    );
  },
};
