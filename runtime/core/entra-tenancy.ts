/**
 * Entra ID's tenancy rules, shared by the bearer verifier and the approval page's sign-in so the
 * two can never disagree: which `iss` values a tenant's tokens carry (v1 sts.windows.net and v2
 * login.microsoftonline.com), which tenants are allowed, and the refusal to run multi-tenant
 * metadata (`{tenantid}`, common, organizations) without a tenant allow-list: that configuration
 * would let any Entra tenant in the world sign in.
 */
import { GatehouseError } from "./errors";

export const TENANT_IN_ISSUER = /^https:\/\/(?:login\.microsoftonline\.com|sts\.windows\.net)\/([0-9a-f-]{36})\//i;

/** Entra's multi-tenant authority segments; `consumers` is personal accounts (no tenant of ours). */
const MULTI_TENANT_SEGMENT =
  /^https:\/\/login\.microsoftonline\.com\/(common|organizations|consumers|\{tenantid\})(\/|$)/i;

/** Whether a discovery issuer (or metadata URL) names no single tenant. */
export function isMultiTenant(issuerOrMetadata: string): boolean {
  return issuerOrMetadata.includes("{tenantid}") || MULTI_TENANT_SEGMENT.test(issuerOrMetadata);
}

/** Refuses multi-tenant metadata without a tenant allow-list (ERR_CONFIG_INVALID naming `variable`). */
export function assertTenantListForMultiTenant(
  issuerOrMetadata: string,
  tenantIds: readonly string[],
  variable = "GATEHOUSE_TENANT_IDS",
): void {
  if (isMultiTenant(issuerOrMetadata) && tenantIds.length === 0) {
    throw new GatehouseError(
      "ERR_CONFIG_INVALID",
      `${variable}: required when the identity provider is multi-tenant (its issuer names no single tenant); list the tenant ids allowed to sign in`,
    );
  }
}

/** The tenants allowed: the list when given, else the single tenant the discovery issuer names (none when it names none). */
export function allowedTenants(discoveryIssuer: string, tenantIds: readonly string[]): string[] {
  if (tenantIds.length) return [...tenantIds];
  const own = TENANT_IN_ISSUER.exec(discoveryIssuer)?.[1];
  return own ? [own] : [];
}

/** The issuers a token of tenant `tid` may carry under this discovery issuer (both token versions). */
export function issuersForTenant(discoveryIssuer: string, tid: string): string[] {
  const own = discoveryIssuer.includes("{tenantid}") ? discoveryIssuer.replace("{tenantid}", tid) : discoveryIssuer;
  return [own, `https://sts.windows.net/${tid}/`, `https://login.microsoftonline.com/${tid}/v2.0`];
}

/**
 * Whether a verified token's `iss` and `tid` are accepted. `explicitIssuers` (GATEHOUSE_ISSUERS)
 * replaces the derived issuers; the tenant allow-list applies either way. A token without `tid`
 * passes only a single-tenant, non-Entra-shaped issuer (a plain OIDC provider), matched exactly.
 */
export function entraTokenAccepted(
  opts: { discoveryIssuer: string; tenantIds: readonly string[]; explicitIssuers?: readonly string[] },
  iss: string,
  tid: string | null,
): boolean {
  const tenants = allowedTenants(opts.discoveryIssuer, opts.tenantIds);
  if (tid === null)
    return (
      !isMultiTenant(opts.discoveryIssuer) &&
      tenants.length === 0 &&
      (opts.explicitIssuers?.length ? opts.explicitIssuers.includes(iss) : iss === opts.discoveryIssuer)
    );
  if (opts.explicitIssuers?.length && !opts.explicitIssuers.includes(iss)) return false;
  // No tenant named anywhere (a non-Entra issuer such as the local one): its own issuer only.
  if (tenants.length === 0)
    return !isMultiTenant(opts.discoveryIssuer) && (!!opts.explicitIssuers?.length || iss === opts.discoveryIssuer);
  if (!tenants.includes(tid)) return false;
  return !!opts.explicitIssuers?.length || issuersForTenant(opts.discoveryIssuer, tid).includes(iss);
}
