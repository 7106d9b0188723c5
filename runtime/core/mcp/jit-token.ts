/**
 * The JIT session token: signed by the gateway's Signer for one grant (one server, one access
 * rule), `typ` gatehouse-jit, issuer the gateway, audience the gateway's MCP endpoints. The same
 * key signs agent tokens (audience the agent) and checkpoints: `typ`, `iss` and `aud` keep each
 * kind from being taken for another. Issuer and audience are names, not URLs: every replica
 * shares the key and accepts the session, whatever URL minted it.
 */
import { importJWK, jwtVerify, type JWK } from "jose";
import { z } from "zod";
import type { Identity } from "../identity";
import type { Signer } from "../signing/signer";

export const JIT_TOKEN_TYPE = "gatehouse-jit";
export const JIT_TOKEN_ISSUER = "gatehouse-gateway";
export const JIT_TOKEN_AUDIENCE = "gatehouse-mcp";

export const JitTokenClaimsSchema = z.object({
  typ: z.literal(JIT_TOKEN_TYPE),
  iss: z.literal(JIT_TOKEN_ISSUER),
  aud: z.union([z.literal(JIT_TOKEN_AUDIENCE), z.tuple([z.literal(JIT_TOKEN_AUDIENCE)])]),
  exp: z.number().int(),
  grant: z.string().min(1),
  server: z.string().min(1),
  rule: z.string().min(1),
  oid: z.string().min(1),
  tid: z.string().min(1),
  preferred_username: z.string().optional(),
  /** A machine holder's client id (the grant's holder was a client-credentials caller). */
  app: z.string().min(1).optional(),
});
export type JitTokenClaims = z.infer<typeof JitTokenClaimsSchema>;

/** Mints the session token of a grant. */
export function mintJitToken(
  signer: Signer,
  g: {
    grantId: string;
    server: string;
    ruleId: string;
    holder: Pick<Identity, "oid" | "tenantId" | "username" | "kind" | "appId">;
  },
  opts: { expiresInSeconds: number },
): Promise<string> {
  const h = g.holder;
  return signer.signJwt(
    {
      typ: JIT_TOKEN_TYPE,
      iss: JIT_TOKEN_ISSUER,
      aud: JIT_TOKEN_AUDIENCE,
      sub: h.oid,
      grant: g.grantId,
      server: g.server,
      rule: g.ruleId,
      oid: h.oid,
      tid: h.tenantId,
      preferred_username: h.username ?? undefined,
      ...(h.kind === "app" && h.appId ? { app: h.appId } : {}),
    },
    // `typ` in the JWS header too (RFC 8725 §3.11 explicit typing): a verifier that checks only the
    // header, as jose's `typ` option does, can then tell a session token from the key's other tokens.
    { expiresInSeconds: opts.expiresInSeconds, typ: JIT_TOKEN_TYPE },
  );
}

/**
 * Verifies signature, algorithm, exp, `typ` (JWS header and claim), issuer and audience; returns the claims or null when
 * the token is signed by this key but is not a JIT session token of this gateway. jose's own
 * errors (bad signature, expired) are thrown for the caller to map.
 */
export async function verifyJitToken(
  token: string,
  publicJwk: JWK,
  opts: { clockSkewSeconds?: number } = {},
): Promise<JitTokenClaims | null> {
  const alg = publicJwk.alg ?? "ES256";
  const { payload } = await jwtVerify(token, await importJWK(publicJwk, alg), {
    algorithms: [alg],
    issuer: JIT_TOKEN_ISSUER,
    audience: JIT_TOKEN_AUDIENCE,
    typ: JIT_TOKEN_TYPE,
    clockTolerance: opts.clockSkewSeconds ?? 60,
    requiredClaims: ["exp", "iss", "aud"],
  });
  const parsed = JitTokenClaimsSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
