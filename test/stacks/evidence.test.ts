import { Testing } from "cdktf";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { ApplicationInsights } from "@cdktf/provider-azurerm/lib/application-insights";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageContainerImmutabilityPolicy } from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { defaultStack, resourcesOf } from "./support/default-stack";

describe("evidence", () => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = Testing.synth(defaultStack());
  });

  test("Log Analytics keeps a year and accepts only Entra auth", () => {
    expect(synthesized).toHaveResourceWithProperties(LogAnalyticsWorkspace, {
      retention_in_days: 365,
      local_authentication_enabled: false,
    });
  });

  test("Application Insights is workspace-based with local auth off", () => {
    expect(synthesized).toHaveResourceWithProperties(ApplicationInsights, {
      workspace_id: expect.stringContaining("azurerm_log_analytics_workspace."),
      local_authentication_disabled: true,
    });
  });

  test("the audit storage account has every secure setting", () => {
    expect(synthesized).toHaveResourceWithProperties(StorageAccount, {
      min_tls_version: "TLS1_2",
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      public_network_access_enabled: false,
      infrastructure_encryption_enabled: true,
      account_replication_type: "GZRS",
      local_user_enabled: false,
      sftp_enabled: false,
      cross_tenant_replication_enabled: false,
      network_rules: expect.objectContaining({ default_action: "Deny" }),
      blob_properties: expect.objectContaining({ versioning_enabled: true, delete_retention_policy: { days: 30 } }),
    });
  });

  test("blob and table are reachable through private endpoints", () => {
    for (const sub of ["blob", "table"]) {
      expect(synthesized).toHaveResourceWithProperties(PrivateEndpoint, {
        private_service_connection: expect.objectContaining({ subresource_names: [sub] }),
        private_dns_zone_group: expect.objectContaining({
          private_dns_zone_ids: [expect.stringContaining(`network_dns-${sub}`)],
        }),
      });
    }
  });

  test("the audit container is private and WORM with protected append writes (append blobs only), unlocked by default", () => {
    expect(synthesized).toHaveResourceWithProperties(StorageContainer, {
      name: "audit",
      container_access_type: "private",
    });
    expect(synthesized).toHaveResourceWithProperties(StorageContainerImmutabilityPolicy, {
      immutability_period_in_days: 400,
      protected_append_writes_enabled: true,
      locked: false,
    });
    const [policy] = Object.values(resourcesOf(synthesized, "azurerm_storage_container_immutability_policy"));
    // Least privilege: existing block blobs never take new blocks.
    expect(policy.protected_append_writes_all_enabled).toBeUndefined();
    // Unlocked, Terraform still manages the period (it may be shortened while validating).
    expect(policy.lifecycle).toBeUndefined();
  });

  test("period and lock come from configuration; once locked the period is left to `extend` out of band", () => {
    const locked = Testing.synth(
      defaultStack({ GATEHOUSE_AUDIT_IMMUTABILITY_DAYS: "2555", GATEHOUSE_AUDIT_IMMUTABILITY_LOCKED: "true" }),
    );
    expect(locked).toHaveResourceWithProperties(StorageContainerImmutabilityPolicy, {
      immutability_period_in_days: 2555,
      locked: true,
      lifecycle: { ignore_changes: ["immutability_period_in_days"] },
    });
  });

  test("approvals and grants tables, created through ARM (management plane: no deployer data role, no VNet needed)", () => {
    const tables = Object.values(resourcesOf(synthesized, "azapi_resource")).filter((r) =>
      String(r.type).startsWith("Microsoft.Storage/storageAccounts/tableServices/tables@"),
    );
    expect(tables.map((t) => t.name).sort()).toEqual(["approvals", "grants"]);
    for (const t of tables)
      expect(t.parent_id).toMatch(
        /^\$\{azurerm_storage_account\.evidence_audit-storage_[A-Z0-9]+\.id\}\/tableServices\/default$/,
      );
    expect(resourcesOf(synthesized, "azurerm_storage_table")).toEqual({});
  });

  test("blob and table services send all logs to the workspace", () => {
    const targets = Object.values(resourcesOf(synthesized, "azurerm_monitor_diagnostic_setting")).map(
      (d) => d.target_resource_id,
    );
    expect(targets).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/blobServices\/default$/),
        expect.stringMatching(/\/tableServices\/default$/),
      ]),
    );
    expect(synthesized).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      enabled_log: [{ category_group: "allLogs" }],
    });
  });
});
