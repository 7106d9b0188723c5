/**
 * Several identity providers at once (e.g. Entra for people and a workload-identity issuer for CI
 * agents). A token is verified only by the provider its `iss` names: the unverified `iss` selects,
 * then that provider's own keys, algorithms, audience and claims decide. A token signed by
 * provider A that names provider B's `iss` therefore fails B's signature check.
 */
import { decodeJwt } from "jose";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import type { IdentityProvider } from "../../core/config/identity-providers";
import { OidcTokenVerifier, type TokenTarget } from "./oidc-token-verifier";
import { logger } from "../../core/telemetry/logger";

export class TokenVerifiers {
  readonly verifiers: OidcTokenVerifier[];

  constructor(providers: readonly IdentityProvider[]) {
    if (!providers.length) throw new TypeError("at least one identity provider is required");
    this.verifiers = providers.map((p) => new OidcTokenVerifier(p));
  }

  /** Every provider's discovery document is reachable; the issuers (RFC 9728 authorization_servers). */
  async ready(): Promise<{ issuer: string; issuers: string[] }> {
    const issuers = (await Promise.all(this.verifiers.map((v) => v.ready()))).map((r) => r.issuer);
    return { issuer: issuers[0], issuers };
  }

  async verify(token: string, target?: TokenTarget): Promise<Identity> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token is not a JWT");
    }
    if (typeof iss !== "string") throw new GatehouseError("ERR_AUTH_INVALID", "the token names no issuer");
    // One provider's discovery being down must not refuse another provider's callers.
    let unreachable: unknown = null;
    for (const v of this.verifiers) {
      const owns = await v.owns(iss).catch((e: unknown) => {
        unreachable = e;
        logger.warn("identity provider unreachable while selecting a token's issuer", {
          event: "auth.provider_unreachable",
          provider: v.provider.name,
          code: e instanceof GatehouseError ? e.code : "ERR_INTERNAL",
        });
        return false;
      });
      if (owns) return v.verify(token, target);
    }
    if (unreachable) throw unreachable;
    throw new GatehouseError("ERR_AUTH_INVALID", "the token's issuer is not accepted");
  }
}
