/**
 * The auth middleware factory: sets `req.auth`, or answers 401 with
 * `WWW-Authenticate: Bearer resource_metadata="<public>/.well-known/oauth-protected-resource/mcp/<server>"`
 * (RFC 9728; `error="invalid_token"` when a token was presented) so MCP clients discover how to
 * sign in. Authorization (403) is the MCP router's: it needs the policy.
 */
import passport from "passport";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import { sendRejection } from "../send-rejection";
import { EntraBearerStrategy, STRATEGY_NAME } from "./entra-bearer-strategy";
import { EntraTokenVerifier, type EntraVerifierOptions } from "./entra-token-verifier";
import { JitTokenVerifier, type JitVerifierOptions } from "./jit-token-verifier";
import "./request-auth";

export interface EntraBearerAuthOptions extends EntraVerifierOptions {
  /** The gateway's public URL (no trailing slash), for resource_metadata. */
  readonly publicUrl: string;
  /** Accept gateway-issued JIT tokens. @default - not accepted */
  readonly jit?: JitVerifierOptions;
}

export interface EntraBearerAuth extends RequestHandler {
  /** Resolves once the discovery document and keys are reachable (readiness). */
  ready(): Promise<{ issuer: string }>;
  resourceMetadataUrl(server: string): string;
}

export function resourceMetadataUrl(publicUrl: string, server: string): string {
  return `${publicUrl}/.well-known/oauth-protected-resource/mcp/${encodeURIComponent(server)}`;
}

export function createEntraBearerAuth(options: EntraBearerAuthOptions): EntraBearerAuth {
  const entra = new EntraTokenVerifier(options);
  const jit = options.jit ? new JitTokenVerifier(options.jit) : null;
  const authenticator = new passport.Passport();
  authenticator.use(STRATEGY_NAME, new EntraBearerStrategy(entra, jit));

  const handler = (req: Request, res: Response, next: NextFunction): void => {
    const server = typeof req.params?.server === "string" ? req.params.server : "";
    authenticator.authenticate(STRATEGY_NAME, { session: false }, (err: unknown, user: Identity | false, info: { error?: GatehouseError } | undefined) => {
      // A grants store that is down is 503 with Retry-After (the token may well be valid).
      if (isGatehouseError(err) && err.code === "ERR_STORE_UNAVAILABLE") return void sendRejection(res, err);
      if (err) return void sendRejection(res, new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", "the identity provider could not be reached; try again"));
      if (!user) {
        const error = info?.error ?? new GatehouseError("ERR_AUTH_INVALID", "the token is not valid");
        let challenge = `Bearer resource_metadata="${resourceMetadataUrl(options.publicUrl, server)}"`;
        if (error.code !== "ERR_AUTH_MISSING") challenge += `, error="invalid_token", error_description="${error.message.replace(/["\\]/g, "")}"`;
        return void sendRejection(res, error, { headers: { "www-authenticate": challenge } });
      }
      req.auth = user;
      next();
    })(req, res, next);
  };
  return Object.assign(handler, {
    ready: () => entra.ready(),
    resourceMetadataUrl: (server: string) => resourceMetadataUrl(options.publicUrl, server),
  });
}
