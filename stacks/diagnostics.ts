/**
 * Diagnostic settings: every log category of a resource to the Log Analytics workspace, so access
 * to keys, secrets and the audit archive is itself audited.
 */
import { Construct } from "constructs";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";

export function diagnosticsToWorkspace(
  scope: Construct,
  id: string,
  targetResourceId: string,
  workspaceId: string,
): MonitorDiagnosticSetting {
  return new MonitorDiagnosticSetting(scope, id, {
    name: "to-log-analytics",
    targetResourceId,
    logAnalyticsWorkspaceId: workspaceId,
    logAnalyticsDestinationType: "Dedicated",
    enabledLog: [{ categoryGroup: "allLogs" }],
  });
}
