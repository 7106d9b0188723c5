/**
 * Verified claims → the Identity policy decides on, by the provider's claim mapping over its
 * profile's defaults. Used for bearer tokens and for the approval page's id_token alike.
 */
import type { JWTPayload } from "jose";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import type { IdentityProvider } from "../../core/config/identity-providers";
import { claimStrings, firstString, readClaim } from "./claim-path";
import { entraProfile } from "./entra-profile";
import { genericProfile, type IssuerProfile } from "./issuer-profile";

export function profileOf(p: Pick<IdentityProvider, "profile">): IssuerProfile {
  return p.profile === "entra" ? entraProfile : genericProfile;
}

export function identityFromClaims(payload: JWTPayload, p: IdentityProvider): Identity {
  const profile = profileOf(p);
  const d = profile.defaults;
  const machine = p.machine ?? d.machine;
  const mv = machine ? readClaim(payload, machine.claim) : undefined;
  // A machine: the configured claim equals the value, or (no value configured) is present.
  const isApp = !!machine && (machine.equals === undefined ? mv !== undefined && mv !== null : mv === machine.equals);
  const appId = isApp ? firstString(payload, p.claims.app ?? d.app) : null;
  const oid = firstString(payload, [p.claims.user ?? d.user]);
  if (!oid) throw new GatehouseError("ERR_AUTH_INVALID", "the token does not name its caller");
  if (isApp && !appId) throw new GatehouseError("ERR_AUTH_INVALID", "the machine token does not name its client");
  return {
    oid,
    tenantId: profile.tenantOf(payload),
    username: isApp ? null : firstString(payload, p.claims.username ?? d.username),
    roles: claimStrings(payload, p.claims.roles),
    groups: claimStrings(payload, p.claims.groups),
    // Overage: the groups moved out of the token. Unknown, never "no groups"; policy uses roles.
    groupsOverage: profile.groupsOverage(payload),
    via: profile.via,
    kind: isApp ? "app" : "user",
    appId,
    provider: p.name,
    jit: null,
  };
}
