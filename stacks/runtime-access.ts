/**
 * What the running gateway and agent may touch beyond Key Vault (granted in identity-secrets.ts):
 * the gateway appends to the audit container and reads/writes the approvals and grants tables;
 * both publish telemetry to Application Insights with Entra auth (local auth is off).
 */
import { Construct } from "constructs";
import type { ApplicationInsights } from "@cdktf/provider-azurerm/lib/application-insights";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import type { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { grantRole } from "./role-grant";

export interface RuntimeAccessProps {
  readonly gatewayPrincipalId: string;
  readonly agentPrincipalId: string;
  readonly auditContainer: StorageContainer;
  /** ARM ids of the approvals and grants tables. */
  readonly tableIds: readonly string[];
  readonly appInsights: ApplicationInsights;
}

export class RuntimeAccess extends Construct {
  readonly gatewayGrants: RoleAssignment[] = [];
  readonly agentGrants: RoleAssignment[] = [];

  constructor(scope: Construct, id: string, props: RuntimeAccessProps) {
    super(scope, id);
    this.gatewayGrants.push(
      grantRole(this, "gateway-writes-audit", {
        role: "Storage Blob Data Contributor",
        scope: props.auditContainer.resourceManagerId,
        principalId: props.gatewayPrincipalId,
        description: "The gateway appends audit records; the WORM policy forbids rewriting them",
      }),
      ...props.tableIds.map((tableId, i) =>
        grantRole(this, `gateway-table-${i}`, {
          role: "Storage Table Data Contributor",
          scope: tableId,
          principalId: props.gatewayPrincipalId,
          description: "Approvals and JIT grants",
        }),
      ),
    );
    for (const [role, principalId, grants] of [
      ["gateway", props.gatewayPrincipalId, this.gatewayGrants],
      ["agent", props.agentPrincipalId, this.agentGrants],
    ] as const) {
      grants.push(
        grantRole(this, `${role}-publishes-telemetry`, {
          role: "Monitoring Metrics Publisher",
          scope: props.appInsights.id,
          principalId,
          description: "Telemetry with Entra auth: Application Insights local auth is off",
        }),
      );
    }
  }
}
