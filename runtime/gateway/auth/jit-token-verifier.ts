/**
 * Verifies gateway-issued JIT session tokens (core/mcp/jit-token.ts: `typ` gatehouse-jit, issuer
 * the gateway, audience its MCP endpoints, scoped to one server and one access rule) and checks
 * the grant is not revoked on every request. The grants store answers from a revocation cache of
 * at most 2 s (GrantStore), so a revocation takes effect everywhere within 2 s plus one table round
 * trip (docs/decisions/0007). A grants store that cannot be read refuses the request with ERR_STORE_UNAVAILABLE
 * (503): never ERR_AUTH_REVOKED, which would tell the client to throw away a valid session.
 */
import { errors as joseErrors, type JWK } from "jose";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { STORE_RETRY_AFTER_SECONDS } from "../../core/approvals/store-deadline";
import type { Identity } from "../../core/identity";
import { JIT_TOKEN_TYPE, verifyJitToken } from "../../core/mcp/jit-token";
import { mapJoseError } from "./jose-errors";

export { JIT_TOKEN_TYPE };

export interface JitVerifierOptions {
  /** The gateway signer's public JWK. */
  readonly publicJwk: JWK;
  readonly isGrantRevoked: (grantId: string) => Promise<boolean>;
  /** @default 60 */
  readonly clockSkew?: number;
}

export class JitTokenVerifier {
  constructor(private readonly opts: JitVerifierOptions) {}

  get kid(): string | undefined {
    return this.opts.publicJwk.kid;
  }

  async verify(token: string): Promise<Identity> {
    let c;
    try {
      c = await verifyJitToken(token, this.opts.publicJwk, { clockSkewSeconds: this.opts.clockSkew });
    } catch (e) {
      // A token of this key with another issuer or audience (an agent token) is not a session token.
      if (e instanceof joseErrors.JWTClaimValidationFailed && (e.claim === "iss" || e.claim === "aud")) c = null;
      else throw mapJoseError(e);
    }
    if (!c) throw new GatehouseError("ERR_AUTH_INVALID", "the token is not a Gatehouse JIT session token");
    let revoked: boolean;
    try {
      revoked = await this.opts.isGrantRevoked(c.grant);
    } catch (e) {
      if (isGatehouseError(e) && e.code === "ERR_STORE_UNAVAILABLE") throw e;
      throw new GatehouseError(
        "ERR_STORE_UNAVAILABLE",
        "the grants store is unavailable; retry in a few seconds",
        { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
        { cause: e },
      );
    }
    if (revoked) throw new GatehouseError("ERR_AUTH_REVOKED", "the JIT grant was revoked");
    return {
      oid: c.oid,
      tenantId: c.tid,
      username: c.preferred_username ?? null,
      roles: [],
      groups: [],
      groupsOverage: false,
      via: "jit",
      kind: c.app ? "app" : "user",
      appId: c.app ?? null,
      provider: null,
      jit: { grantId: c.grant, server: c.server, ruleId: c.rule, expiresAt: new Date(c.exp * 1000).toISOString() },
    };
  }
}
