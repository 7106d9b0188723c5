/**
 * The auth middleware factory: sets `req.auth`, or answers 401 with
 * `WWW-Authenticate: Bearer resource_metadata="<public>/.well-known/oauth-protected-resource/mcp/<server>"`
 * (RFC 9728; `error="invalid_token"` when a token was presented) so MCP clients discover how to
 * sign in. Authorization (403) is the MCP router's, which needs the policy; the challenge it
 * sends (`insufficient_scope`) is built here, with the 401's, so both name the same scopes.
 */
import passport from "passport";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import { scopesOf, type IdentityProvider } from "../../core/config/identity-providers";
import { sendRejection } from "../../http/send-rejection";
import { EntraBearerStrategy, STRATEGY_NAME } from "./entra-bearer-strategy";
import { entraProviderOf, type EntraVerifierOptions } from "./entra-token-verifier";
import { JitTokenVerifier, type JitVerifierOptions } from "./jit-token-verifier";
import { TokenVerifiers } from "./token-verifiers";
import "./request-auth";

export interface EntraBearerAuthOptions extends Partial<EntraVerifierOptions> {
  /** The gateway's public URL (no trailing slash), for resource_metadata and RFC 8707 audiences. */
  readonly publicUrl: string;
  /**
   * The identity providers (GatewayConfig.identityProviders). @default - one Entra provider from
   * identityMetadata, audience, tenantIds and issuer
   */
  readonly providers?: readonly IdentityProvider[];
  /** Scopes named in challenges (GatewayConfig.scopes). @default - scopesOf(providers) */
  readonly scopes?: readonly string[];
  /** Accept gateway-issued JIT tokens. @default - not accepted */
  readonly jit?: JitVerifierOptions;
}

export interface EntraBearerAuth extends RequestHandler {
  /** Resolves once every provider's discovery document and keys are reachable (readiness). */
  ready(): Promise<{ issuer: string; issuers: string[] }>;
  resourceMetadataUrl(server: string): string;
  /** The 403 challenge for an authenticated caller the policy does not let reach `server`. */
  forbiddenChallenge(server: string): string;
}

export function resourceMetadataUrl(publicUrl: string, server: string): string {
  return `${publicUrl}/.well-known/oauth-protected-resource/mcp/${encodeURIComponent(server)}`;
}

/** Quoted-string content of a challenge parameter (RFC 9110): no quotes, backslashes or controls. */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const quoted = (s: string): string => s.replace(/["\\\x00-\x1f\x7f]/g, "");

export function createEntraBearerAuth(options: EntraBearerAuthOptions): EntraBearerAuth {
  const providers = options.providers?.length ? options.providers : [entraProviderOf(options as EntraVerifierOptions)];
  const verifiers = new TokenVerifiers(providers);
  const jit = options.jit ? new JitTokenVerifier(options.jit) : null;
  const authenticator = new passport.Passport();
  authenticator.use(STRATEGY_NAME, new EntraBearerStrategy(verifiers, jit, options.publicUrl));
  const scopes = options.scopes ?? scopesOf(providers);

  const handler = (req: Request, res: Response, next: NextFunction): void => {
    const server = typeof req.params?.server === "string" ? req.params.server : "";
    authenticator.authenticate(
      STRATEGY_NAME,
      { session: false },
      (err: unknown, user: Identity | false, info: { error?: GatehouseError } | undefined) => {
        // A grants store that is down is 503 with Retry-After (the token may well be valid).
        if (isGatehouseError(err) && err.code === "ERR_STORE_UNAVAILABLE") return void sendRejection(res, err);
        if (err)
          return void sendRejection(
            res,
            new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", "the identity provider could not be reached; try again"),
          );
        if (!user) {
          const error = info?.error ?? new GatehouseError("ERR_AUTH_INVALID", "the token is not valid");
          let challenge = `Bearer resource_metadata="${resourceMetadataUrl(options.publicUrl, server)}"`;
          if (error.code !== "ERR_AUTH_MISSING")
            challenge += `, error="invalid_token", error_description="${quoted(error.message)}"`;
          return void sendRejection(res, error, { headers: { "www-authenticate": challenge } });
        }
        req.auth = user;
        next();
      },
    )(req, res, next);
  };
  return Object.assign(handler, {
    ready: () => verifiers.ready(),
    resourceMetadataUrl: (server: string) => resourceMetadataUrl(options.publicUrl, server),
    // MCP authorization 2025-11-25: 403 names the scope needed and where to read the metadata.
    forbiddenChallenge: (server: string) =>
      `Bearer error="insufficient_scope", ${scopes.length ? `scope="${quoted(scopes.join(" "))}", ` : ""}resource_metadata="${resourceMetadataUrl(options.publicUrl, server)}"`,
  });
}
