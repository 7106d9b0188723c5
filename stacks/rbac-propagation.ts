/**
 * A role assignment exists in ARM seconds before the data planes (Key Vault, storage, the Container
 * Apps secret fetch, ACR) honour it: a consumer created right after its grant gets 403 on a first
 * apply. Consumers therefore depend on a time_sleep that depends on the grants, as Azure Verified
 * Modules do (avm-res-keyvault-vault `wait_for_rbac_before_secret_operations`, 30 s default, 60 s
 * in their examples). Checked by GH_IAM_2. The sleep is re-created (and waits again) only when the
 * set of grants changes.
 */
import { Construct } from "constructs";
import { Fn, type ITerraformDependable } from "cdktf";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";

/** @default 60s: twice AVM's default, still short next to a Container Apps environment's creation. */
export const RBAC_PROPAGATION_WAIT = "60s";

export function waitForRbac(
  scope: Construct,
  id: string,
  grants: readonly RoleAssignment[],
  duration = RBAC_PROPAGATION_WAIT,
): ITerraformDependable {
  if (grants.length === 0) throw new Error(`${scope.node.path}/${id}: waitForRbac needs at least one role assignment`);
  return new Sleep(scope, id, {
    createDuration: duration,
    triggers: {
      grants: Fn.join(
        ",",
        grants.map((g) => g.id),
      ),
    },
    dependsOn: [...grants],
  });
}
