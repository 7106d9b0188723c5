/**
 * Verifies gateway-issued JIT session tokens: signed by the gateway's own Signer, `typ`
 * "gatehouse-jit", scoped to one server and one access rule, revocable (checked on every request:
 * revocation must take effect at once, so this is never cached). A grants store that cannot be
 * read refuses the request with ERR_STORE_UNAVAILABLE (503): never ERR_AUTH_REVOKED, which would
 * tell the client to throw away a valid session.
 */
import { importJWK, jwtVerify, type JWK, type KeyLike } from "jose";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { STORE_RETRY_AFTER_SECONDS } from "../../core/approvals/store-deadline";
import type { Identity } from "../../core/identity";
import { mapJoseError } from "./entra-token-verifier";

export const JIT_TOKEN_TYPE = "gatehouse-jit";

export interface JitVerifierOptions {
  /** The gateway signer's public JWK. */
  readonly publicJwk: JWK;
  readonly isGrantRevoked: (grantId: string) => Promise<boolean>;
  /** @default 60 */
  readonly clockSkew?: number;
}

export class JitTokenVerifier {
  private key: Promise<KeyLike | Uint8Array> | null = null;
  constructor(private readonly opts: JitVerifierOptions) {}

  get kid(): string | undefined {
    return this.opts.publicJwk.kid;
  }

  async verify(token: string): Promise<Identity> {
    this.key ??= importJWK(this.opts.publicJwk, this.opts.publicJwk.alg ?? "ES256");
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await this.key, {
        algorithms: [this.opts.publicJwk.alg ?? "ES256"],
        clockTolerance: this.opts.clockSkew ?? 60,
        requiredClaims: ["exp"],
      }));
    } catch (e) {
      throw mapJoseError(e);
    }
    const str = (v: unknown) => (typeof v === "string" && v ? v : null);
    const grant = str(payload.grant);
    const server = str(payload.server);
    const rule = str(payload.rule);
    const oid = str(payload.oid) ?? str(payload.sub);
    const tid = str(payload.tid);
    // The same key signs agent tokens: only `typ` gatehouse-jit is a session token.
    if (payload.typ !== JIT_TOKEN_TYPE || !grant || !server || !rule || !oid || !tid) {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token is not a Gatehouse JIT session token");
    }
    let revoked: boolean;
    try {
      revoked = await this.opts.isGrantRevoked(grant);
    } catch (e) {
      if (isGatehouseError(e) && e.code === "ERR_STORE_UNAVAILABLE") throw e;
      throw new GatehouseError("ERR_STORE_UNAVAILABLE", "the grants store is unavailable; retry in a few seconds", { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS }, { cause: e });
    }
    if (revoked) throw new GatehouseError("ERR_AUTH_REVOKED", "the JIT grant was revoked");
    return {
      oid,
      tenantId: tid,
      username: str(payload.preferred_username) ?? str(payload.username),
      roles: Array.isArray(payload.roles) ? (payload.roles as unknown[]).filter((r): r is string => typeof r === "string") : [],
      groups: [],
      groupsOverage: false,
      via: "jit",
      jit: { grantId: grant, server, ruleId: rule, expiresAt: new Date(payload.exp! * 1000).toISOString() },
    };
  }
}
