/**
 * The Azure resource provider namespace each azurerm resource type is created through. A type
 * missing here makes GH_PROV_2 throw (a violation, fail closed), so adding a new kind of resource
 * to the stack means saying which namespace it needs registered on a fresh subscription.
 */
const NAMESPACES: Record<string, string> = {
  azurerm_resource_group: "Microsoft.Resources",
  azurerm_resource_group_template_deployment: "Microsoft.Resources",
  azurerm_role_assignment: "Microsoft.Authorization",
  azurerm_virtual_network: "Microsoft.Network",
  azurerm_subnet: "Microsoft.Network",
  azurerm_network_security_group: "Microsoft.Network",
  azurerm_network_security_rule: "Microsoft.Network",
  azurerm_subnet_network_security_group_association: "Microsoft.Network",
  azurerm_private_dns_zone: "Microsoft.Network",
  azurerm_private_dns_zone_virtual_network_link: "Microsoft.Network",
  azurerm_private_endpoint: "Microsoft.Network",
  azurerm_user_assigned_identity: "Microsoft.ManagedIdentity",
  azurerm_key_vault: "Microsoft.KeyVault",
  azurerm_key_vault_key: "Microsoft.KeyVault",
  azurerm_key_vault_secret: "Microsoft.KeyVault",
  azurerm_storage_account: "Microsoft.Storage",
  azurerm_storage_container: "Microsoft.Storage",
  azurerm_storage_container_immutability_policy: "Microsoft.Storage",
  azurerm_storage_table: "Microsoft.Storage",
  azurerm_storage_blob: "Microsoft.Storage",
  azurerm_log_analytics_workspace: "Microsoft.OperationalInsights",
  azurerm_application_insights: "microsoft.insights",
  azurerm_application_insights_workbook: "microsoft.insights",
  azurerm_monitor_diagnostic_setting: "microsoft.insights",
  azurerm_monitor_action_group: "microsoft.insights",
  azurerm_monitor_scheduled_query_rules_alert_v2: "microsoft.insights",
  azurerm_container_app_environment: "Microsoft.App",
  azurerm_container_app: "Microsoft.App",
  azurerm_container_app_job: "Microsoft.App",
  azurerm_container_app_custom_domain: "Microsoft.App",
  azurerm_container_registry: "Microsoft.ContainerRegistry",
  azurerm_cdn_frontdoor_profile: "Microsoft.Cdn",
  azurerm_cdn_frontdoor_endpoint: "Microsoft.Cdn",
  azurerm_cdn_frontdoor_origin_group: "Microsoft.Cdn",
  azurerm_cdn_frontdoor_origin: "Microsoft.Cdn",
  azurerm_cdn_frontdoor_route: "Microsoft.Cdn",
  azurerm_cdn_frontdoor_firewall_policy: "Microsoft.Network",
  azurerm_cdn_frontdoor_security_policy: "Microsoft.Cdn",
};

/** The namespace of an azurerm resource type; throws for a type nobody has classified. */
export function resourceProviderNamespace(type: string): string {
  const namespace = NAMESPACES[type];
  if (namespace === undefined)
    throw new Error(
      `no resource provider namespace known for ${type}: add it to stacks/compliance/resource-provider-namespaces.ts`,
    );
  return namespace;
}
