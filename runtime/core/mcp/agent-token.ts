/**
 * The gateway→agent token: bound to exactly one request (server, HTTP method, JSON-RPC method,
 * sha256 of the body bytes), audience the agent, at most 60 s. It is signed by an in-memory key
 * of the gateway replica, and carries that key's certificate — a short JWT signed by the gateway's
 * Signer (the Key Vault key in Azure) — in its protected header, so the agent needs only the
 * Signer's public keys and Key Vault signs once per replica per certificate period, never per
 * call (docs/decisions: certified agent-token key).
 *
 * Explicit types (RFC 8725 §3.11): the token's `typ` is AGENT_TOKEN_TYP and the certificate's
 * KEY_CERTIFICATE_TYP; the verifier checks both, with issuer and audience, so neither can pass
 * for the other nor for a JIT session token or a page cookie signed by the same Signer.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export const AGENT_AUDIENCE = "gatehouse-agent";
export const GATEWAY_ISSUER = "gatehouse-gateway";
export const AGENT_TOKEN_SECONDS = 60;
export const AGENT_TOKEN_TYP = "gatehouse-agent+jwt";
export const KEY_CERTIFICATE_TYP = "gatehouse-key-cert+jwt";
/** Protected-header parameter of an agent token holding its key's certificate. */
export const CERTIFICATE_HEADER = "gh_cert";
/** Lifetime of a key certificate: one Signer (Key Vault) operation per replica per this period. */
export const KEY_CERTIFICATE_SECONDS = 3600;

export const AgentTokenClaimsSchema = z.object({
  iss: z.literal(GATEWAY_ISSUER),
  aud: z.union([
    z.literal(AGENT_AUDIENCE),
    z.array(z.string()).refine((a) => a.length === 1 && a[0] === AGENT_AUDIENCE),
  ]),
  sub: z.string().min(1),
  jti: z.string().min(8),
  iat: z.number().int(),
  exp: z.number().int(),
  server: z.string().min(1),
  htm: z.enum(["POST", "GET", "DELETE"]),
  rpc: z.string().nullable(),
  bh: z.string().min(1),
  corr: z.string().min(1),
});
export type AgentTokenClaims = z.infer<typeof AgentTokenClaimsSchema>;

/** What the gateway puts in a token; `iat`/`exp` are set when it is signed. */
export type AgentTokenRequest = Omit<AgentTokenClaims, "iat" | "exp">;

/** The certificate of an in-memory agent-token key: `cnf.jwk` is the key (RFC 7800 confirmation claim). */
export const KeyCertificateClaimsSchema = z.object({
  iss: z.literal(GATEWAY_ISSUER),
  aud: z.union([
    z.literal(AGENT_AUDIENCE),
    z.array(z.string()).refine((a) => a.length === 1 && a[0] === AGENT_AUDIENCE),
  ]),
  iat: z.number().int(),
  exp: z.number().int(),
  cnf: z.object({
    jwk: z
      .object({
        kty: z.literal("EC"),
        crv: z.literal("P-256"),
        x: z.string().min(1),
        y: z.string().min(1),
        kid: z.string().min(1),
      })
      .strict(),
  }),
});
export type KeyCertificateClaims = z.infer<typeof KeyCertificateClaimsSchema>;

export function bodyHash(body: Buffer | Uint8Array): string {
  return createHash("sha256").update(body).digest("base64url");
}
