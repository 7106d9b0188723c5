/**
 * Verifies Entra ID access tokens with jose: issuer and JWKS from the discovery document, RS256
 * only, audience, exp/nbf with a small clock skew, allowed tenants, v1 and v2 issuer forms.
 * Option names follow passport-azure-ad where they map (see docs/decisions/0001).
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import { fetchDiscovery } from "./oidc-discovery";
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

const TENANT_IN_ISSUER = /^https:\/\/(?:login\.microsoftonline\.com|sts\.windows\.net)\/([0-9a-f-]{36})\//i;

export class EntraTokenVerifier {
  private readonly cache = new VerifiedTokenCache();
  private setup: Promise<{ issuers: Set<string>; jwks: ReturnType<typeof createRemoteJWKSet>; templated: boolean; discoveryIssuer: string }> | null = null;

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
    if (this.opts.validateIssuer !== false && !this.issuerAccepted(s, String(payload.iss), tid)) {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token's issuer is not accepted");
    }
    const tenants = this.opts.tenantIds ?? [];
    const issuerTenant = TENANT_IN_ISSUER.exec(s.discoveryIssuer)?.[1];
    if (tenants.length ? !tenants.includes(tid) : issuerTenant !== undefined && issuerTenant !== tid) {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token's tenant is not allowed");
    }
    const identity = toIdentity(payload, oid, tid);
    this.cache.set(token, identity, payload.exp!);
    if (this.opts.loggingNoPII === false) logger.debug("token verified", { oid, tid });
    return identity;
  }

  private issuerAccepted(s: { issuers: Set<string>; templated: boolean; discoveryIssuer: string }, iss: string, tid: string): boolean {
    if (s.issuers.has(iss)) return true;
    // Multi-tenant metadata (common/organizations) names `{tenantid}`: accept the token's tenant
    // substituted in, in both forms; tenantIds then limits which tenants are allowed.
    if (s.templated) return iss === s.discoveryIssuer.replace("{tenantid}", tid) || iss === `https://sts.windows.net/${tid}/`;
    return false;
  }

  private init() {
    if (!this.setup) {
      this.setup = (async () => {
        const d = await fetchDiscovery(this.opts.identityMetadata);
        const explicit = this.opts.issuer === undefined ? [] : Array.isArray(this.opts.issuer) ? this.opts.issuer : [this.opts.issuer];
        const issuers = new Set<string>(explicit);
        const templated = !explicit.length && d.issuer.includes("{tenantid}");
        if (!explicit.length) {
          issuers.add(d.issuer);
          // Entra tokens say v1 (sts.windows.net) or v2 (login.microsoftonline.com/.../v2.0) by
          // the app's accessTokenAcceptedVersion; accept both forms for each allowed tenant.
          const tenants = [...(this.opts.tenantIds ?? [])];
          const t = TENANT_IN_ISSUER.exec(d.issuer)?.[1];
          if (t) tenants.push(t);
          for (const tid of tenants) {
            issuers.add(`https://sts.windows.net/${tid}/`);
            issuers.add(`https://login.microsoftonline.com/${tid}/v2.0`);
          }
        }
        return { issuers, jwks: createRemoteJWKSet(new URL(d.jwks_uri), { cooldownDuration: 30_000, timeoutDuration: 10_000 }), templated, discoveryIssuer: d.issuer };
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
