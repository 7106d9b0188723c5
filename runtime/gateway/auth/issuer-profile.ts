/**
 * What distinguishes one kind of identity provider on top of the generic OIDC verifier: which
 * `iss` values it owns, extra checks on verified claims, and the claim defaults. The generic
 * profile trusts exactly the discovery document's issuer; the Entra profile (entra-profile.ts)
 * adds tenants, v1/v2 issuers and groups overage. No provider has a code path of its own.
 */
import type { JWTPayload } from "jose";
import { GatehouseError } from "../../core/errors";
import type { IdentityProvider } from "../../core/config/identity-providers";

export interface IssuerProfile {
  /** `via` of the identities it yields. */
  readonly via: "entra" | "oidc";
  /** Called once with the discovery document's issuer; throws ERR_CONFIG_INVALID on a configuration it must not run. */
  onDiscovery(discoveryIssuer: string, p: IdentityProvider): void;
  /** Whether a token naming `iss` belongs to this provider (selection happens before the signature check). */
  ownsIssuer(iss: string, discoveryIssuer: string, p: IdentityProvider): boolean;
  /** Checks on the verified claims beyond signature, audience and time; throws ERR_AUTH_INVALID. */
  checkClaims(payload: JWTPayload, discoveryIssuer: string, p: IdentityProvider): void;
  /** The tenant recorded for the identity. */
  tenantOf(payload: JWTPayload): string;
  /** Entra's groups overage: the groups claim moved out of the token. */
  groupsOverage(payload: JWTPayload): boolean;
  readonly defaults: {
    user: string;
    username: string[];
    app: string[];
    machine: { claim: string; equals?: string } | null;
  };
}

export const genericProfile: IssuerProfile = {
  via: "oidc",
  onDiscovery: () => undefined,
  ownsIssuer: (iss, discoveryIssuer, p) => (p.issuers?.length ? p.issuers.includes(iss) : iss === discoveryIssuer),
  checkClaims(payload, discoveryIssuer, p) {
    if (!genericProfile.ownsIssuer(String(payload.iss), discoveryIssuer, p))
      throw new GatehouseError("ERR_AUTH_INVALID", "the token's issuer is not accepted");
  },
  tenantOf: (payload) => String(payload.iss),
  groupsOverage: () => false,
  defaults: { user: "sub", username: ["preferred_username", "email"], app: ["azp", "client_id"], machine: null },
};
