/**
 * Entra ID as a profile of the generic OIDC verifier: tokens carry `tid` and `oid`; a tenant's
 * tokens say v1 (sts.windows.net) or v2 (login.microsoftonline.com/.../v2.0) by the app's
 * accessTokenAcceptedVersion; multi-tenant metadata needs a tenant list; groups may be moved out
 * of the token (overage). The rules themselves live in core/entra-tenancy.ts, shared with the
 * approval page's sign-in.
 */
import { GatehouseError } from "../../core/errors";
import {
  allowedTenants,
  assertTenantListForMultiTenant,
  entraTokenAccepted,
  issuersForTenant,
} from "../../core/entra-tenancy";
import type { IssuerProfile } from "./issuer-profile";

export const entraProfile: IssuerProfile = {
  via: "entra",
  onDiscovery: (discoveryIssuer, p) => assertTenantListForMultiTenant(discoveryIssuer, p.tenantIds),
  ownsIssuer(iss, discoveryIssuer, p) {
    if (p.issuers?.length) return p.issuers.includes(iss);
    // Only the allowed tenants' issuers: a second Entra provider's tenant is never claimed here.
    return (
      iss === discoveryIssuer ||
      allowedTenants(discoveryIssuer, p.tenantIds).some((t) => issuersForTenant(discoveryIssuer, t).includes(iss))
    );
  },
  checkClaims(payload, discoveryIssuer, p) {
    const tid = typeof payload.tid === "string" ? payload.tid : null;
    if (!tid || typeof payload.oid !== "string")
      throw new GatehouseError("ERR_AUTH_INVALID", "the token has no oid or tid claim");
    if (
      !entraTokenAccepted(
        { discoveryIssuer, tenantIds: p.tenantIds, explicitIssuers: p.issuers },
        String(payload.iss),
        tid,
      )
    ) {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token's issuer or tenant is not accepted");
    }
  },
  tenantOf: (payload) => String(payload.tid),
  groupsOverage(payload) {
    const names = payload._claim_names;
    return typeof names === "object" && names !== null && "groups" in names;
  },
  defaults: {
    user: "oid",
    username: ["preferred_username", "upn", "unique_name", "email"],
    app: ["azp", "appid"],
    machine: { claim: "idtyp", equals: "app" },
  },
};
