import type { Principals } from "../policy-model/schema";
import type { Identity } from "../identity";

/**
 * Whether an identity is one of `principals`. A person holds one of the app roles or is a member
 * of one of the groups; a machine (client-credentials token) matches only by its client id in
 * `apps`, so an app is never let in through a role its provider may assert for it. Empty
 * principals match nobody. When Entra reported groups overage the identity's groups are unknown
 * (not "none"), so only app roles can match: policies should rely on app roles (docs/policies.md).
 */
export function identityMatches(
  principals: Principals,
  identity: Pick<Identity, "roles" | "groups" | "kind" | "appId">,
): boolean {
  if (identity.kind === "app") return !!identity.appId && (principals.apps ?? []).includes(identity.appId);
  if (principals.roles.some((r) => identity.roles.includes(r))) return true;
  return principals.groups.some((g) => identity.groups.includes(g));
}

/** Whether the identity came from an identity provider (not a gateway-issued JIT token). */
export function fromIdentityProvider(identity: Pick<Identity, "via">): boolean {
  return identity.via === "entra" || identity.via === "oidc";
}
