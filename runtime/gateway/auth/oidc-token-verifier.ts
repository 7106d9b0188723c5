/**
 * Verifies one identity provider's access tokens with jose: the issuer and JWKS from its discovery
 * document (its own key cache), the configured asymmetric algorithms only, the audience (the
 * configured audiences, or this MCP server's resource URL per RFC 8707, never another resource's),
 * exp/nbf with a small skew, then the profile's checks and the configured claim mapping.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import { discoveryUrl, type IdentityProvider } from "../../core/config/identity-providers";
import { identityFromClaims, profileOf } from "./identity-from-claims";
import type { IssuerProfile } from "./issuer-profile";
import { mapJoseError } from "./jose-errors";
import { fetchDiscovery } from "./oidc-discovery";
import { VerifiedTokenCache } from "./verified-token-cache";

/** What a token is presented for: the MCP resource URL (`<public url>/mcp/<server>`), and the prefix every such URL shares. */
export interface TokenTarget {
  readonly resource: string | null;
  readonly resourcePrefix: string | null;
}

type Setup = { discoveryIssuer: string; jwks: ReturnType<typeof createRemoteJWKSet> };

export class OidcTokenVerifier {
  private readonly cache = new VerifiedTokenCache();
  private readonly profile: IssuerProfile;
  private setup: Promise<Setup> | null = null;

  constructor(readonly provider: IdentityProvider) {
    this.profile = profileOf(provider);
  }

  /** Fetches the discovery document once (retried on the next call if it failed). */
  async ready(): Promise<{ issuer: string }> {
    return { issuer: (await this.init()).discoveryIssuer };
  }

  /** Whether a token naming `iss` is this provider's to verify. */
  async owns(iss: string): Promise<boolean> {
    const s = await this.init();
    return this.profile.ownsIssuer(iss, s.discoveryIssuer, this.provider);
  }

  async verify(token: string, target: TokenTarget = { resource: null, resourcePrefix: null }): Promise<Identity> {
    // The audience accepted depends on the resource: cache per (resource, token).
    const cacheKey = `${target.resource ?? ""}\n${token}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const s = await this.init();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, s.jwks, {
        algorithms: [...this.provider.algorithms],
        audience: target.resource ? [...this.provider.audiences, target.resource] : [...this.provider.audiences],
        clockTolerance: this.provider.clockSkewSeconds,
        requiredClaims: ["exp", "iss"],
      }));
    } catch (e) {
      throw mapJoseError(e);
    }
    // RFC 8707: a token also addressed to another of this gateway's resources is not for this one.
    const auds = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (
      target.resourcePrefix &&
      auds.some((a) => typeof a === "string" && a.startsWith(target.resourcePrefix!) && a !== target.resource)
    ) {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token is for another resource");
    }
    this.profile.checkClaims(payload, s.discoveryIssuer, this.provider);
    const identity = identityFromClaims(payload, this.provider);
    this.cache.set(cacheKey, identity, payload.exp!);
    return identity;
  }

  private init(): Promise<Setup> {
    if (!this.setup) {
      this.setup = (async () => {
        const d = await fetchDiscovery(discoveryUrl(this.provider.metadata));
        this.profile.onDiscovery(d.issuer, this.provider);
        return {
          discoveryIssuer: d.issuer,
          jwks: createRemoteJWKSet(new URL(d.jwks_uri), { cooldownDuration: 30_000, timeoutDuration: 10_000 }),
        };
      })();
      this.setup.catch(() => (this.setup = null));
    }
    return this.setup;
  }
}
