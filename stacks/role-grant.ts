/**
 * Role assignments at the narrowest scope. Broad roles are refused here (and by the GH_IAM_1
 * compliance rule) so least privilege cannot be bypassed by a well-meant shortcut.
 */
import { Construct } from "constructs";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";

export const FORBIDDEN_ROLES = ["Owner", "Contributor", "User Access Administrator"] as const;

export interface RoleGrantProps {
  /** Built-in role name, e.g. "Key Vault Secrets User". */
  readonly role: string;
  readonly scope: string;
  readonly principalId: string;
  /** `any` for the deploying principal, which may be a user or a workload identity. @default "ServicePrincipal" - managed identities */
  readonly principalType?: "ServicePrincipal" | "User" | "Group" | "any";
  readonly description: string;
}

export function grantRole(scope: Construct, id: string, props: RoleGrantProps): RoleAssignment {
  if ((FORBIDDEN_ROLES as readonly string[]).includes(props.role)) {
    throw new Error(
      `${scope.node.path}/${id}: role "${props.role}" is never assigned; use a data-plane role at the narrowest scope`,
    );
  }
  return new RoleAssignment(scope, id, {
    roleDefinitionName: props.role,
    scope: props.scope,
    principalId: props.principalId,
    principalType: props.principalType === "any" ? undefined : (props.principalType ?? "ServicePrincipal"),
    description: props.description,
  });
}
