import { compliantIf, type ComplianceRule } from "../rule";

/** The Container Apps environment is not integrated in a VNet. */
export const EnvironmentVnetIntegrated: ComplianceRule = {
  id: "GH_CA_3",
  info: "The Container Apps environment is not integrated in a VNet.",
  explanation:
    "Private endpoints (Key Vault, storage) are reachable only from the VNet. Set infrastructure_subnet_id to a subnet delegated to Microsoft.App/environments.",
  control: "CC6.6",
  resourceTypes: ["azurerm_container_app_environment"],
  check: (r) => {
    return compliantIf(
      typeof r.config.infrastructure_subnet_id === "string" && r.config.infrastructure_subnet_id.length > 0,
    );
  },
};
