/**
 * The identity providers whose tokens the gateway accepts: one schema for every provider (Entra
 * ID, Okta, Auth0, Keycloak, a workload-identity issuer), read from GATEHOUSE_OIDC_ISSUERS (JSON)
 * and from the Entra variables (GATEHOUSE_IDENTITY_METADATA, GATEHOUSE_AUDIENCE,
 * GATEHOUSE_TENANT_IDS, GATEHOUSE_ISSUERS), which describe one provider with the `entra` profile.
 * docs/identity.md shows each provider's settings side by side.
 */
import { z } from "zod";
import { isMultiTenant } from "../entra-tenancy";
import { isLoopbackHost } from "./parse-env";

/**
 * Asymmetric algorithms only: `none` and HMAC (HS*) are not in the list, so a configuration
 * naming them is refused, and an HS256 token "signed" with a public key can never verify.
 */
export const SIGNING_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const;

/** A claim: a top-level name (also a namespaced one such as `https://example.com/roles`) or a dot path (`realm_access.roles`). */
const ClaimPath = z.string().min(1).max(200);

const secureUrl = z
  .string()
  .url()
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  }, "must be https (plain http only on a loopback host)");

export const IdentityProviderSchema = z
  .object({
    /** Names the provider in audit records and errors: lower-case letters, digits, '-'. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "lower-case letters, digits and '-', starting with a letter"),
    /** `entra` adds Entra ID's rules (tid allow-list, v1/v2 issuers, groups overage) to the generic verifier. */
    profile: z.enum(["generic", "entra"]).default("generic"),
    /** The OpenID discovery document URL, or the issuer URL (`/.well-known/openid-configuration` is appended). */
    metadata: secureUrl,
    /** Accepted `aud` values besides this gateway's MCP resource URLs (RFC 8707). */
    audiences: z.array(z.string().min(1)).min(1),
    /** Accepted JWS algorithms. */
    algorithms: z.array(z.enum(SIGNING_ALGORITHMS)).min(1).default(["RS256"]),
    claims: z
      .object({
        /** The stable id of the caller. @default `sub` (entra: `oid`) */
        user: ClaimPath.optional(),
        /** Display name for audit and the approval page, first present wins. @default preferred_username, email (entra: preferred_username, upn, unique_name, email) */
        username: z.array(ClaimPath).optional(),
        /** App roles, matched by `principals.roles`. @default `roles` */
        roles: ClaimPath.default("roles"),
        /** Groups, matched by `principals.groups`. @default `groups` */
        groups: ClaimPath.default("groups"),
        /** The client id of a machine caller, matched by `principals.apps`. @default `azp` (entra: `azp`, then `appid`) */
        app: z.array(ClaimPath).optional(),
      })
      .prefault({}),
    /**
     * How a client-credentials token (no user) is recognised: the claim equals `equals`, or, without
     * `equals`, the claim is present. @default - entra: `idtyp` equals `app`; generic: never (every token is a user)
     */
    machine: z.object({ claim: ClaimPath, equals: z.string().optional() }).optional(),
    /** entra: tenant ids allowed (`tid`); required when the metadata is multi-tenant. @default - the metadata's own tenant */
    tenantIds: z.array(z.string().min(1)).default([]),
    /** Exact accepted `iss` values, replacing the discovery document's issuer. @default - the discovery document's issuer */
    issuers: z.array(z.string().min(1)).optional(),
    /**
     * Scopes an MCP client requests for this gateway (RFC 9728 `scopes_supported`, the 403 challenge's
     * `scope`). @default - entra: each audience + `/.default`; generic: none
     */
    scopes: z.array(z.string().min(1)).optional(),
    /** Seconds of clock skew tolerated on exp/nbf. */
    clockSkewSeconds: z.number().int().min(0).max(300).default(60),
  })
  .superRefine((p, ctx) => {
    if (p.profile === "entra" && isMultiTenant(decodeURI(p.metadata)) && p.tenantIds.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["tenantIds"],
        message: `provider ${p.name}: tenantIds is required when the metadata is multi-tenant (common, organizations, {tenantid})`,
      });
    }
    if (p.profile !== "entra" && p.tenantIds.length)
      ctx.addIssue({
        code: "custom",
        path: ["tenantIds"],
        message: `provider ${p.name}: tenantIds applies to the entra profile only`,
      });
  });
export type IdentityProvider = z.infer<typeof IdentityProviderSchema>;

/** GATEHOUSE_OIDC_ISSUERS: a JSON array of providers with distinct names. */
export const IdentityProvidersJson = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON array of identity providers (docs/identity.md)" });
      return z.NEVER;
    }
  })
  .pipe(z.array(IdentityProviderSchema).min(1))
  .refine((list) => new Set(list.map((p) => p.name)).size === list.length, "provider names must be distinct");

/** The discovery document URL of a provider (an issuer URL gets the well-known path). */
export function discoveryUrl(metadata: string): string {
  return /\/\.well-known\/openid-configuration$/.test(metadata)
    ? metadata
    : `${metadata.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

/** The provider the Entra variables describe (how the local stack and the Azure stack configure the gateway). */
export function entraProvider(v: {
  metadata: string;
  audiences: string[];
  tenantIds: string[];
  issuers: string[] | null;
}): IdentityProvider {
  return IdentityProviderSchema.parse({
    name: "entra",
    profile: "entra",
    metadata: v.metadata,
    audiences: v.audiences,
    tenantIds: v.tenantIds,
    issuers: v.issuers ?? undefined,
  });
}

/** The scopes clients are told to request: each provider's, in order, without duplicates. */
export function scopesOf(providers: readonly IdentityProvider[]): string[] {
  const all = providers.flatMap(
    (p) => p.scopes ?? (p.profile === "entra" ? p.audiences.map((a) => `${a}/.default`) : []),
  );
  return [...new Set(all)];
}
