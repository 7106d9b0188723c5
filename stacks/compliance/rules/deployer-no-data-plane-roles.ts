import { compliantIf, type ComplianceRule } from "../rule";

/** Data-plane roles: reading or writing keys, secrets, blobs, tables or queues themselves. */
const DATA_PLANE_ROLE =
  /^(Key Vault (Administrator|Crypto|Secrets|Certificates|Certificate)|Storage (Blob|Table|Queue|File) Data)/;

/** The deploying principal keeps a standing data-plane role. */
export const DeployerNoDataPlaneRoles: ComplianceRule = {
  id: "GH_IAM_3",
  info: "The deploying principal is granted a standing data-plane role.",
  explanation:
    "The CI identity must not be able to mint agent tokens, read upstream credentials or forge approvals between deploys. Create keys, secrets and tables through ARM (management plane) instead of granting the deployer Key Vault or Storage data roles (docs/decisions/0004-first-deploy-without-data-plane.md).",
  control: "CC6.1, CC6.3",
  resourceTypes: ["azurerm_role_assignment"],
  check: (r) => {
    const principal = JSON.stringify(r.config.principal_id ?? "");
    if (!principal.includes("${data.azurerm_client_config.")) return "not-applicable";
    return compliantIf(!DATA_PLANE_ROLE.test(String(r.config.role_definition_name ?? "")));
  },
};
