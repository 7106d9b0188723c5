import { compliantIf, type ComplianceRule } from "../rule";

/** The workload-profile environment leaves its infrastructure resource group to Azure. */
export const EnvironmentInfrastructureRgNamed: ComplianceRule = {
  id: "GH_CA_4",
  info: "The Container Apps environment does not name its infrastructure resource group.",
  explanation:
    "Left empty, Azure generates an ME_* resource group; the attribute is ForceNew (azurerm v4.55.0), so the next plan replaces the environment and both apps (new default domain: broken gateway URL and approval redirect URI). Set infrastructure_resource_group_name.",
  control: "CC8.1",
  resourceTypes: ["azurerm_container_app_environment"],
  check: (r) => {
    if (r.config.workload_profile === undefined) return "not-applicable";
    return compliantIf(
      typeof r.config.infrastructure_resource_group_name === "string" &&
        r.config.infrastructure_resource_group_name.length > 0,
    );
  },
};
