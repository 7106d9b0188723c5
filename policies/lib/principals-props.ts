import type { Principals } from "../schema";
import { GUID, shown, type ValidationCheck } from "./validation";

/** Who: Entra app roles and/or group object ids. */
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
}

export function toPrincipals(p: PrincipalsProps | undefined): Principals {
  return { roles: [...(p?.roles ?? [])], groups: [...(p?.groups ?? [])] };
}

/** Checks shared by every place principals are written; `what` names the field in messages. */
export function principalsChecks(p: PrincipalsProps | undefined, what: string): ValidationCheck[] {
  const roles = p?.roles ?? [];
  const groups = p?.groups ?? [];
  const badGroups = groups.filter((g) => !GUID.test(g));
  return [
    { condition: roles.length + groups.length === 0, message: `${what} is empty: received no roles and no groups, expected at least one app role (e.g. roles: ["Approver"]) or group object id` },
    { condition: roles.some((r) => r.trim() === ""), message: `${what} has an empty role name: expected app role values as defined in the entra app registration` },
    { condition: badGroups.length > 0, message: `${what} groups must be entra object ids (guids): received ${shown(badGroups)}, expected e.g. "0d2c8f1e-...": look the id up in entra, display names are never in tokens` },
  ];
}
