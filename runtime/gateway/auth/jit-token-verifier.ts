/**
 * Verifies gateway-issued JIT session tokens (core/mcp/jit-token.ts: `typ` gatehouse-jit, issuer
 * the gateway, audience its MCP endpoints, scoped to one server and one access rule) and checks
 * the grant is not revoked on every request: revocation must take effect at once, so this is
 * never cached.
 */
import { errors as joseErrors, type JWK } from "jose";
import { GatehouseError } from "../../core/errors";
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
    if (await this.opts.isGrantRevoked(c.grant)) throw new GatehouseError("ERR_AUTH_REVOKED", "the JIT grant was revoked");
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
