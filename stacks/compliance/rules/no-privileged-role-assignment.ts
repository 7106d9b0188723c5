import { compliantIf, type ComplianceRule } from "../rule";

/** A role assignment grants Owner, Contributor or User Access Administrator. */
export const NoPrivilegedRoleAssignment: ComplianceRule = {
  id: "GH_IAM_1",
  info: "A role assignment grants Owner, Contributor or User Access Administrator.",
  explanation:
    "Broad roles let an identity change the infrastructure or its own access; Gatehouse grants data-plane roles at the narrowest scope. Use a specific role (e.g. Key Vault Secrets User) scoped to the resource.",
  control: "CC6.3",
  resourceTypes: ["azurerm_role_assignment"],
  check: (r) => {
    // Built-in role definition ids of Owner, Contributor and User Access Administrator.
    const ids = [
      "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      "b24988ac-6180-42a0-ab88-20f7382dd24c",
      "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    ];
    const name = String(r.config.role_definition_name ?? "").toLowerCase();
    const id = String(r.config.role_definition_id ?? "").toLowerCase();
    return compliantIf(
      !["owner", "contributor", "user access administrator"].includes(name) && !ids.some((g) => id.endsWith(g)),
    );
  },
};
