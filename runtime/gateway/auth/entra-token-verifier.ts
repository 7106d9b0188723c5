/**
 * Verifies Entra ID access tokens with jose: issuer and JWKS from the discovery document, RS256
 * only, audience, exp/nbf with a small clock skew, allowed tenants, v1 and v2 issuer forms.
 * Option names follow passport-azure-ad where they map (see docs/decisions/0001).
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import { fetchDiscovery } from "./oidc-discovery";
import { assertTenantListForMultiTenant, entraTokenAccepted } from "../../core/entra-tenancy";
import { VerifiedTokenCache } from "./verified-token-cache";
import { logger } from "../../core/telemetry/logger";

export interface EntraVerifierOptions {
  /** OpenID discovery document URL. */
  readonly identityMetadata: string;
  /** Accepted `aud` values. */
  readonly audience: string | string[];
  /** @default true — never turn off outside tests of this module. */
  readonly validateIssuer?: boolean;
  /** Explicit accepted issuers; @default - derived from the discovery document and tenantIds. */
  readonly issuer?: string | string[];
  /** Allowed `tid` values; @default - the tenant of the discovery document's issuer only. */
  readonly tenantIds?: string[];
  /** @default 60 */
  readonly clockSkew?: number;
  /** @default true — never log claims that identify a person. */
  readonly loggingNoPII?: boolean;
}

export class EntraTokenVerifier {
  private readonly cache = new VerifiedTokenCache();
  private setup: Promise<{ explicitIssuers: string[]; jwks: ReturnType<typeof createRemoteJWKSet>; discoveryIssuer: string }> | null = null;

  constructor(private readonly opts: EntraVerifierOptions) {}

  /** Fetches the discovery document once (retried on the next call if it failed). */
  async ready(): Promise<{ issuer: string }> {
    const s = await this.init();
    return { issuer: s.discoveryIssuer };
  }

  async verify(token: string): Promise<Identity> {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const s = await this.init();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, s.jwks, {
        algorithms: ["RS256"],
        audience: this.opts.audience,
        clockTolerance: this.opts.clockSkew ?? 60,
        requiredClaims: ["exp", "iss"],
      }));
    } catch (e) {
      throw mapJoseError(e);
    }
    const tid = typeof payload.tid === "string" ? payload.tid : null;
    const oid = typeof payload.oid === "string" ? payload.oid : null;
    if (!tid || !oid) throw new GatehouseError("ERR_AUTH_INVALID", "the token has no oid or tid claim");
    const tenancy = { discoveryIssuer: s.discoveryIssuer, tenantIds: this.opts.tenantIds ?? [], explicitIssuers: s.explicitIssuers };
    if (this.opts.validateIssuer !== false && !entraTokenAccepted(tenancy, String(payload.iss), tid)) {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token's issuer or tenant is not accepted");
    }
    const identity = toIdentity(payload, oid, tid);
    this.cache.set(token, identity, payload.exp!);
    if (this.opts.loggingNoPII === false) logger.debug("token verified", { oid, tid });
    return identity;
  }

  private init() {
    if (!this.setup) {
      this.setup = (async () => {
        const d = await fetchDiscovery(this.opts.identityMetadata);
        // Multi-tenant metadata without a tenant list would admit every Entra tenant: refuse to run.
        assertTenantListForMultiTenant(d.issuer, this.opts.tenantIds ?? []);
        const explicitIssuers = this.opts.issuer === undefined ? [] : Array.isArray(this.opts.issuer) ? this.opts.issuer : [this.opts.issuer];
        return { explicitIssuers, jwks: createRemoteJWKSet(new URL(d.jwks_uri), { cooldownDuration: 30_000, timeoutDuration: 10_000 }), discoveryIssuer: d.issuer };
      })();
      this.setup.catch(() => (this.setup = null));
    }
    return this.setup;
  }
}

function toIdentity(p: JWTPayload, oid: string, tid: string): Identity {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const claimNames = (p._claim_names ?? {}) as Record<string, unknown>;
  const username = [p.preferred_username, p.upn, p.unique_name, p.email].find((v): v is string => typeof v === "string") ?? null;
  return {
    oid,
    tenantId: tid,
    username,
    roles: strings(p.roles),
    groups: strings(p.groups),
    // Overage: Entra moved groups out of the token. Unknown, never "no groups"; policy uses roles.
    groupsOverage: typeof claimNames === "object" && claimNames !== null && "groups" in claimNames,
    via: "entra",
    jit: null,
  };
}

export function mapJoseError(e: unknown): GatehouseError {
  if (e instanceof GatehouseError) return e;
  if (e instanceof joseErrors.JWTExpired) return new GatehouseError("ERR_AUTH_EXPIRED", "the token has expired");
  if (e instanceof joseErrors.JOSEError) return new GatehouseError("ERR_AUTH_INVALID", `the token is not valid (${e.code})`);
  return new GatehouseError("ERR_AUTH_INVALID", "the token is not valid");
}
