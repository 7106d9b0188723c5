/**
 * The Gatehouse rule pack: the Checkov checks that exist for the resource types we deploy, and
 * our own (GH_*) for what Checkov does not cover. Applied at every synth by ComplianceAspect.
 */
import type { ComplianceRule } from "./rule";
import { KeyVaultRecoverable } from "./rules/key-vault-recoverable";
import { KeyVaultFirewallDeny } from "./rules/key-vault-firewall-deny";
import { KeyVaultPurgeProtection } from "./rules/key-vault-purge-protection";
import { KeyVaultPublicNetworkDisabled } from "./rules/key-vault-public-network-disabled";
import { KeyVaultPrivateEndpoint } from "./rules/key-vault-private-endpoint";
import { KeyVaultKeyExpiry } from "./rules/key-vault-key-expiry";
import { KeyVaultSecretExpiry } from "./rules/key-vault-secret-expiry";
import { KeyVaultSecretContentType } from "./rules/key-vault-secret-content-type";
import { StorageQueueLogging } from "./rules/storage-queue-logging";
import { StorageDefaultNetworkDeny } from "./rules/storage-default-network-deny";
import { StorageTrustedServicesBypass } from "./rules/storage-trusted-services-bypass";
import { StorageMinTls12 } from "./rules/storage-min-tls12";
import { StoragePublicNetworkDisabled } from "./rules/storage-public-network-disabled";
import { StorageBlobRestrictPublicAccess } from "./rules/storage-blob-restrict-public-access";
import { StorageGeoReplication } from "./rules/storage-geo-replication";
import { StorageNoLocalUsers } from "./rules/storage-no-local-users";
import { StoragePrivateEndpoint } from "./rules/storage-private-endpoint";
import { StorageSoftDelete } from "./rules/storage-soft-delete";
import { StorageSharedKeyDisabled } from "./rules/storage-shared-key-disabled";
import { StorageNoBlobAnonymousAccess } from "./rules/storage-no-blob-anonymous-access";
import { StorageContainerPrivate } from "./rules/storage-container-private";
import { NsgRdpRestricted } from "./rules/nsg-rdp-restricted";
import { NsgSshRestricted } from "./rules/nsg-ssh-restricted";
import { NsgHttpRestricted } from "./rules/nsg-http-restricted";
import { NsgUdpRestricted } from "./rules/nsg-udp-restricted";
import { SubnetHasNsg } from "./rules/subnet-has-nsg";
import { ContainerAppHttpsOnly } from "./rules/container-app-https-only";
import { AgentNeverExternal } from "./rules/agent-never-external";
import { EnvironmentVnetIntegrated } from "./rules/environment-vnet-integrated";
import { LogAnalyticsRetentionEntraOnly } from "./rules/log-analytics-retention-entra-only";
import { AppInsightsWorkspaceEntraOnly } from "./rules/app-insights-workspace-entra-only";
import { DiagnosticSettingPresent } from "./rules/diagnostic-setting-present";
import { AuditContainerImmutable } from "./rules/audit-container-immutable";
import { NoPrivilegedRoleAssignment } from "./rules/no-privileged-role-assignment";
import { ProviderStorageDataPlaneOff } from "./rules/provider-storage-data-plane-off";
import { ProviderRegistersNamespaces } from "./rules/provider-registers-namespaces";
import { EnvironmentInfrastructureRgNamed } from "./rules/environment-infrastructure-rg-named";
import { RbacPropagationWait } from "./rules/rbac-propagation-wait";
import { LockedWormPeriodIgnored } from "./rules/locked-worm-period-ignored";
import { DeployerNoDataPlaneRoles } from "./rules/deployer-no-data-plane-roles";
import { RegistryPrivate } from "./rules/registry-private";
import { EnvironmentNotPublic } from "./rules/environment-not-public";
import { WafPreventionMode } from "./rules/waf-prevention-mode";
import { WafManagedRules } from "./rules/waf-managed-rules";
import { FrontDoorPrivateLinkOrigin } from "./rules/front-door-private-link-origin";

export const GATEHOUSE_RULE_PACK: readonly ComplianceRule[] = [
  KeyVaultRecoverable,
  KeyVaultFirewallDeny,
  KeyVaultPurgeProtection,
  KeyVaultPublicNetworkDisabled,
  KeyVaultPrivateEndpoint,
  KeyVaultKeyExpiry,
  KeyVaultSecretExpiry,
  KeyVaultSecretContentType,
  StorageQueueLogging,
  StorageDefaultNetworkDeny,
  StorageTrustedServicesBypass,
  StorageMinTls12,
  StoragePublicNetworkDisabled,
  StorageBlobRestrictPublicAccess,
  StorageGeoReplication,
  StorageNoLocalUsers,
  StoragePrivateEndpoint,
  StorageSoftDelete,
  StorageSharedKeyDisabled,
  StorageNoBlobAnonymousAccess,
  StorageContainerPrivate,
  NsgRdpRestricted,
  NsgSshRestricted,
  NsgHttpRestricted,
  NsgUdpRestricted,
  SubnetHasNsg,
  ContainerAppHttpsOnly,
  AgentNeverExternal,
  EnvironmentVnetIntegrated,
  LogAnalyticsRetentionEntraOnly,
  AppInsightsWorkspaceEntraOnly,
  DiagnosticSettingPresent,
  AuditContainerImmutable,
  NoPrivilegedRoleAssignment,
  ProviderStorageDataPlaneOff,
  ProviderRegistersNamespaces,
  EnvironmentInfrastructureRgNamed,
  RbacPropagationWait,
  LockedWormPeriodIgnored,
  DeployerNoDataPlaneRoles,
  RegistryPrivate,
  EnvironmentNotPublic,
  WafPreventionMode,
  WafManagedRules,
  FrontDoorPrivateLinkOrigin,
];
