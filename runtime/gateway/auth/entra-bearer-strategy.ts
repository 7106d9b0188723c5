/**
 * A passport Strategy for bearer tokens on jose (replaces the archived passport-azure-ad; see
 * docs/decisions/0001-entra-bearer-strategy-on-jose.md). Identity-provider tokens (any configured
 * OIDC provider, Entra included) and gateway-issued JIT session tokens are both accepted; which
 * verifier runs is decided by the token's key id, and each verifier still enforces its own
 * issuer, algorithm, audience and claims. On /mcp/<server> the server's resource URL is an
 * accepted audience too (RFC 8707).
 */
import passport from "passport";
import type { Request } from "express";
import { decodeProtectedHeader } from "jose";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import type { JitTokenVerifier } from "./jit-token-verifier";
import type { TokenTarget } from "./oidc-token-verifier";
import type { TokenVerifiers } from "./token-verifiers";

export const STRATEGY_NAME = "gatehouse-bearer";

export function bearerToken(req: Request): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(h.trim());
  return m ? m[1] : "";
}

/** The MCP resource URL a request addresses (`<public url>/mcp/<server>`), if any. */
export function mcpResource(publicUrl: string, server: string): string {
  return `${publicUrl}/mcp/${encodeURIComponent(server)}`;
}

export class EntraBearerStrategy extends passport.Strategy {
  override name = STRATEGY_NAME;

  constructor(
    private readonly providers: TokenVerifiers,
    private readonly jit: JitTokenVerifier | null,
    private readonly publicUrl: string,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    const token = bearerToken(req);
    if (token === null)
      return this.fail(
        {
          error: new GatehouseError(
            "ERR_AUTH_MISSING",
            "Authentication required: send a bearer token from the identity provider",
          ),
        },
        401,
      );
    if (token === "")
      return this.fail(
        { error: new GatehouseError("ERR_AUTH_INVALID", "the Authorization header is not a bearer token") },
        401,
      );
    const server =
      typeof req.params?.server === "string" && req.baseUrl + req.path === `/mcp/${req.params.server}`
        ? req.params.server
        : null;
    const target: TokenTarget =
      server === null
        ? { resource: null, resourcePrefix: `${this.publicUrl}/mcp/` }
        : { resource: mcpResource(this.publicUrl, server), resourcePrefix: `${this.publicUrl}/mcp/` };
    this.verify(token, target).then(
      (identity) => this.success(identity),
      (e: unknown) => {
        if (e instanceof GatehouseError && e.code.startsWith("ERR_AUTH_")) return this.fail({ error: e }, 401);
        // The issuer or its keys could not be reached: not the caller's fault, not a 401.
        return this.error(e instanceof Error ? e : new Error(String(e)));
      },
    );
  }

  private async verify(token: string, target: TokenTarget): Promise<Identity> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new GatehouseError("ERR_AUTH_INVALID", "the token is not a JWS");
    }
    if (this.jit && kid !== undefined && kid === this.jit.kid) return this.jit.verify(token);
    return this.providers.verify(token, target);
  }
}
