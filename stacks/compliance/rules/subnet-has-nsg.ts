import { compliantIf, type ComplianceRule } from "../rule";
import { referencing } from "../config-reader";

/** The subnet has no network security group. */
export const SubnetHasNsg: ComplianceRule = {
  id: "CKV2_AZURE_31",
  info: "The subnet has no network security group.",
  explanation:
    "Every subnet needs an NSG so inbound traffic is filtered. Add an azurerm_subnet_network_security_group_association.",
  control: "CC6.6",
  resourceTypes: ["azurerm_subnet"],
  check: (r, ctx) => {
    // Azure forbids NSGs on these special subnets, as Checkov does.
    if (
      ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"].includes(
        String(r.config.name),
      )
    )
      return "not-applicable";
    return compliantIf(
      referencing(ctx, "azurerm_subnet_network_security_group_association", "subnet_id", r).length > 0,
    );
  },
};
