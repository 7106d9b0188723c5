/**
 * Evidence: where the audit trail and telemetry live. Log Analytics (365 days, Entra-only),
 * workspace-based Application Insights, and the audit archive storage account: private, Entra-only,
 * geo-zone-redundant, with a WORM `audit` container (time-based retention with protected append
 * writes) and the approvals and grants tables.
 */
import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ApplicationInsights } from "@cdktf/provider-azurerm/lib/application-insights";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageContainerImmutabilityPolicy } from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { AzapiResource } from "./azapi";
import type { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { Network } from "./network";
import { addSuppressions } from "./compliance/suppressions";
import { privateEndpointFor } from "./private-endpoint";
import { diagnosticsToWorkspace } from "./diagnostics";

export interface EvidenceProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly prefix: string;
  readonly logAnalyticsName: string;
  readonly appInsightsName: string;
  readonly storageAccountName: string;
  readonly network: Network;
  /** Log Analytics retention in days, at least 365. @default 365 */
  readonly logRetentionDays?: number;
  /** Days every audit blob is kept immutable. @default 400 */
  readonly immutabilityPeriodDays?: number;
  /**
   * Lock the immutability policy. IRREVERSIBLE: once locked the period can only be extended, the
   * policy and container cannot be deleted, and the storage account cannot be deleted while any
   * blob is still under retention. Lock only after validating the deployment (docs/deploy.md).
   * @default false
   */
  readonly immutabilityLocked?: boolean;
  /** Days deleted blobs, versions and containers stay recoverable. @default 30 */
  readonly deleteRetentionDays?: number;
  /**
   * Create the approvals and grants tables in this account. A secondary region uses the decision
   * region's tables instead (docs/decisions/0007), so its account holds audit blobs only.
   * @default true
   */
  readonly decisionTables?: boolean;
  readonly tags: Record<string, string>;
}

export const AUDIT_CONTAINER = "audit";
export const EVIDENCE_TABLES = ["approvals", "grants"] as const;

export class Evidence extends Construct {
  readonly workspace: LogAnalyticsWorkspace;
  readonly appInsights: ApplicationInsights;
  readonly storage: StorageAccount;
  readonly auditContainer: StorageContainer;
  /** The tables, created through ARM (management plane); `id` is the role-assignment scope. Absent with `decisionTables: false`. */
  readonly tables?: Record<(typeof EVIDENCE_TABLES)[number], AzapiResource>;
  /** Private endpoints of the blob and table services (the apps reach storage through them). */
  readonly endpoints: { readonly blob: PrivateEndpoint; readonly table: PrivateEndpoint };

  constructor(scope: Construct, id: string, props: EvidenceProps) {
    super(scope, id);
    const retention = props.logRetentionDays ?? 365;
    if (retention < 365)
      throw new Error(`${this.node.path}: logRetentionDays must be at least 365, received ${retention}`);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    const deleteRetentionDays = props.deleteRetentionDays ?? 30;

    this.workspace = new LogAnalyticsWorkspace(this, "log-analytics", {
      ...common,
      name: props.logAnalyticsName,
      sku: "PerGB2018",
      retentionInDays: retention,
      localAuthenticationEnabled: false,
    });
    this.appInsights = new ApplicationInsights(this, "app-insights", {
      ...common,
      name: props.appInsightsName,
      applicationType: "Node.JS",
      workspaceId: this.workspace.id,
      localAuthenticationDisabled: true,
    });

    this.storage = new StorageAccount(this, "audit-storage", {
      ...common,
      name: props.storageAccountName,
      accountKind: "StorageV2",
      accountTier: "Standard",
      accountReplicationType: "GZRS",
      minTlsVersion: "TLS1_2",
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      publicNetworkAccessEnabled: false,
      infrastructureEncryptionEnabled: true,
      localUserEnabled: false,
      sftpEnabled: false,
      crossTenantReplicationEnabled: false,
      allowedCopyScope: "PrivateLink",
      networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: deleteRetentionDays },
        containerDeleteRetentionPolicy: { days: deleteRetentionDays },
      },
    });

    addSuppressions(this.storage, [
      {
        id: "CKV_AZURE_33",
        reason:
          "the audit account holds no queues (blobs and tables only); queue logging would log nothing, and blob and table services send all logs to the workspace",
      },
    ]);

    const endpoints = (["blob", "table"] as const).map((service) => {
      const endpoint = privateEndpointFor(this, `${service}-endpoint`, {
        name: `pe-${props.prefix}-${service}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        subnet: props.network.endpointsSubnet,
        targetResourceId: this.storage.id,
        subresource: service,
        dnsZone: props.network.dnsZones[service],
        tags: props.tags,
      });
      diagnosticsToWorkspace(
        this,
        `${service}-diagnostics`,
        `${this.storage.id}/${service}Services/default`,
        this.workspace.id,
      );
      return endpoint;
    });

    this.auditContainer = new StorageContainer(this, "audit-container", {
      name: AUDIT_CONTAINER,
      storageAccountId: this.storage.id,
      containerAccessType: "private",
    });
    const locked = props.immutabilityLocked ?? false;
    const worm = new StorageContainerImmutabilityPolicy(this, "audit-immutability", {
      storageContainerResourceManagerId: this.auditContainer.resourceManagerId,
      immutabilityPeriodInDays: props.immutabilityPeriodDays ?? 400,
      // Append blobs keep growing (one series per chain) while existing blocks stay immutable.
      // Append blobs only (least privilege): checkpoints and keys are block blobs written once
      // with a single Put Blob (If-None-Match: *), which a time-based policy allows anyway;
      // `_all_enabled` would also let new blocks be committed to existing block blobs.
      protectedAppendWritesEnabled: true,
      locked,
      // A locked policy can only be extended (ExtendImmutabilityPolicy), but azurerm v4.55.0
      // updates it with CreateOrUpdate (and its plan check refuses any increase), so once locked
      // the period is managed out of band (docs/deploy.md, `az storage container
      // immutability-policy extend`) and ignored here. Checked by GH_WORM_2.
      lifecycle: locked ? { ignoreChanges: ["immutability_period_in_days"] } : undefined,
    });
    Annotations.of(worm).addWarning(
      locked
        ? "the audit container's immutability policy is LOCKED: irreversible; the period can only be extended and the storage account cannot be deleted while records are under retention (docs/deploy.md)"
        : "the audit container's immutability policy is UNLOCKED: records are not yet tamper-proof for auditors; lock it after validating the deployment with GATEHOUSE_AUDIT_IMMUTABILITY_LOCKED=true (irreversible, docs/deploy.md)",
    );

    this.endpoints = { blob: endpoints[0], table: endpoints[1] };
    // Tables through ARM (Microsoft.Storage/storageAccounts/tableServices/tables), not
    // azurerm_storage_table, which in v4.55.0 only speaks the table data plane (storage_account_name):
    // unreachable from outside the VNet, and it needed a standing Storage Table Data Contributor
    // role for the deployer, who could then forge approvals (docs/decisions/0004-first-deploy-without-data-plane.md).
    if (props.decisionTables === false) return;
    const tables = {} as Record<(typeof EVIDENCE_TABLES)[number], AzapiResource>;
    for (const table of EVIDENCE_TABLES) {
      tables[table] = new AzapiResource(this, `${table}-table`, {
        type: "Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01",
        name: table,
        parentId: `${this.storage.id}/tableServices/default`,
        body: { properties: {} },
      });
    }
    this.tables = tables;
  }
}
