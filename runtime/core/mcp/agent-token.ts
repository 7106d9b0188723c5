/**
 * The gateway→agent token: signed by the gateway's Signer for exactly one request (server, HTTP
 * method, JSON-RPC method, sha256 of the body bytes), audience the agent, at most 60 s.
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export const AGENT_AUDIENCE = "gatehouse-agent";
export const GATEWAY_ISSUER = "gatehouse-gateway";
export const AGENT_TOKEN_SECONDS = 60;

export const AgentTokenClaimsSchema = z.object({
  iss: z.literal(GATEWAY_ISSUER),
  aud: z.union([z.literal(AGENT_AUDIENCE), z.array(z.string()).refine((a) => a.length === 1 && a[0] === AGENT_AUDIENCE)]),
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

export function bodyHash(body: Buffer | Uint8Array): string {
  return createHash("sha256").update(body).digest("base64url");
}
