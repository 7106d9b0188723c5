import type { Principals } from "../../runtime/core/policy-model/schema";
import { GUID, shown, type ValidationCheck } from "./validation";

/** Who: app roles and/or group ids (people), and/or client ids (machines). */
export interface PrincipalsProps {
  /**
   * Entra app roles (the `roles` claim), e.g. `["Engineer"]`. Prefer roles: they are always in the
   * token, while groups are omitted when a user is in too many (overage).
   * @default - no roles
   */
  readonly roles?: string[];
  /**
   * Entra group object ids (GUIDs; the `groups` claim never carries display names).
   * @default - no groups
   */
  readonly groups?: string[];
  /**
   * Machine identities: client ids of client-credentials callers (Entra: the app's client id;
   * Okta `cid`, Auth0 `azp`, Keycloak `azp`). An app matches only this list, never roles or groups.
   * @default - no apps
   */
  readonly apps?: string[];
}

export function toPrincipals(p: PrincipalsProps | undefined): Principals {
  // `apps` only when given: a bundle without machines keeps the shape (and version) it always had.
  return {
    roles: [...(p?.roles ?? [])],
    groups: [...(p?.groups ?? [])],
    ...(p?.apps?.length ? { apps: [...p.apps] } : {}),
  };
}

/** Checks shared by every place principals are written; `what` names the field in messages. */
export function principalsChecks(p: PrincipalsProps | undefined, what: string): ValidationCheck[] {
  const roles = p?.roles ?? [];
  const groups = p?.groups ?? [];
  const apps = p?.apps ?? [];
  const badGroups = groups.filter((g) => !GUID.test(g));
  return [
    {
      condition: roles.length + groups.length + apps.length === 0,
      message: `${what} is empty: received no roles, groups or apps, expected at least one app role (e.g. roles: ["Approver"]), group object id or client id`,
    },
    {
      condition: apps.some((a) => a.trim() === "" || a !== a.trim()),
      message: `${what} has an empty or padded app client id: received ${shown(apps)}, expected client ids as the identity provider issues them`,
    },
    {
      condition: roles.some((r) => r.trim() === ""),
      message: `${what} has an empty role name: expected app role values as defined in the entra app registration`,
    },
    {
      condition: badGroups.length > 0,
      message: `${what} groups must be entra object ids (guids): received ${shown(badGroups)}, expected e.g. "0d2c8f1e-...": look the id up in entra, display names are never in tokens`,
    },
  ];
}

/** Approvers are people: a machine can never count as the second pair of eyes. */
export function approverChecks(p: PrincipalsProps | undefined, what: string): ValidationCheck[] {
  return [
    ...principalsChecks(p, what),
    {
      condition: (p?.apps?.length ?? 0) > 0,
      message: `${what} cannot list apps: received ${shown(p?.apps ?? [])}, expected app roles or groups of people (approvals are decided by people)`,
    },
  ];
}
