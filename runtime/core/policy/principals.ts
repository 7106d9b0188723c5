import type { Principals } from "../../../policies/schema";
import type { Identity } from "../identity";

/**
 * Whether an identity is one of `principals`: it holds one of the app roles or is a member of
 * one of the groups. Empty principals match nobody. When Entra reported groups overage the
 * identity's groups are unknown (not "none"), so only app roles can match: policies should rely
 * on app roles (docs/policies.md).
 */
export function identityMatches(principals: Principals, identity: Pick<Identity, "roles" | "groups">): boolean {
  if (principals.roles.some((r) => identity.roles.includes(r))) return true;
  return principals.groups.some((g) => identity.groups.includes(g));
}
