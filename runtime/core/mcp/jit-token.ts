/**
 * The JIT session token: signed by the gateway's Signer for one grant (one server, one access
 * rule), `typ` gatehouse-jit, issuer and audience the gateway's public URL. The same key signs
 * agent tokens and checkpoints: `typ`, `iss` and `aud` keep each kind from being taken for another.
 */
import { importJWK, jwtVerify, type JWK } from "jose";
import { z } from "zod";
import type { Identity } from "../identity";
import type { Signer } from "../signing/signer";

export const JIT_TOKEN_TYPE = "gatehouse-jit";

export const JitTokenClaimsSchema = z.object({
  typ: z.literal(JIT_TOKEN_TYPE),
  iss: z.string().min(1),
  aud: z.union([z.string().min(1), z.array(z.string()).length(1)]),
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

/** Mints the session token of a grant; `publicUrl` is both issuer and audience. */
export function mintJitToken(
  signer: Signer,
  g: { grantId: string; server: string; ruleId: string; holder: Pick<Identity, "oid" | "tenantId" | "username" | "kind" | "appId"> },
  opts: { publicUrl: string; expiresInSeconds: number },
): Promise<string> {
  const h = g.holder;
  return signer.signJwt(
    {
      typ: JIT_TOKEN_TYPE,
      iss: opts.publicUrl,
      aud: opts.publicUrl,
      sub: h.oid,
      grant: g.grantId,
      server: g.server,
      rule: g.ruleId,
      oid: h.oid,
      tid: h.tenantId,
      preferred_username: h.username ?? undefined,
      ...(h.kind === "app" && h.appId ? { app: h.appId } : {}),
    },
    { expiresInSeconds: opts.expiresInSeconds },
  );
}

/**
 * Verifies signature, algorithm, exp, `typ`, issuer and audience; returns the claims or null when
 * the token is signed by this key but is not a JIT session token of this gateway. jose's own
 * errors (bad signature, expired) are thrown for the caller to map.
 */
export async function verifyJitToken(token: string, publicJwk: JWK, opts: { publicUrl: string; clockSkewSeconds?: number }): Promise<JitTokenClaims | null> {
  const alg = publicJwk.alg ?? "ES256";
  const { payload } = await jwtVerify(token, await importJWK(publicJwk, alg), {
    algorithms: [alg],
    issuer: opts.publicUrl,
    audience: opts.publicUrl,
    clockTolerance: opts.clockSkewSeconds ?? 60,
    requiredClaims: ["exp", "iss", "aud"],
  });
  const parsed = JitTokenClaimsSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
