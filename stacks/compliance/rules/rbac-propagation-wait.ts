import { compliantIf, type ComplianceRule, type RuleContext } from "../rule";

const dependsOn = (config: Readonly<Record<string, unknown>>): string[] =>
  Array.isArray(config.depends_on) ? config.depends_on.filter((d): d is string => typeof d === "string") : [];

/** A time_sleep named in `deps` that itself waits for role assignments. */
function waitsForGrants(deps: readonly string[], ctx: RuleContext): boolean {
  return ctx.resources.some(
    (x) =>
      x.type === "time_sleep" &&
      deps.includes(`time_sleep.${x.logicalId}`) &&
      typeof x.config.create_duration === "string" &&
      dependsOn(x.config).some((d) => d.startsWith("azurerm_role_assignment.")),
  );
}

/** A consumer of a role assignment does not wait for the grant to propagate. */
export const RbacPropagationWait: ComplianceRule = {
  id: "GH_IAM_2",
  info: "A resource uses a role assignment without waiting for it to propagate.",
  explanation:
    "A new role assignment takes effect in the Key Vault, storage and registry data planes some time after ARM accepts it; a consumer created right after gets 403 and the first apply fails. Depend on a time_sleep that depends on the grants (stacks/rbac-propagation.ts), never on the grant directly; Container Apps must always wait (Key Vault references and image pulls at first start).",
  control: "CC8.1",
  resourceTypes: [
    "azurerm_container_app",
    "azurerm_container_app_job",
    "azurerm_key_vault_key",
    "azurerm_key_vault_secret",
    "azurerm_storage_table",
    "azurerm_storage_blob",
  ],
  check: (r, ctx) => {
    const deps = dependsOn(r.config);
    if (deps.some((d) => d.startsWith("azurerm_role_assignment."))) return "non-compliant";
    if (r.type !== "azurerm_container_app" && r.type !== "azurerm_container_app_job") return "compliant";
    return compliantIf(waitsForGrants(deps, ctx));
  },
};
