import type { JWK, JWTPayload } from "jose";

/**
 * The gateway's signing key, behind one interface: in Azure a Key Vault key used through the
 * gateway's managed identity (the private key never leaves Key Vault), locally a generated key.
 * It signs JIT session tokens, audit checkpoints and the certificates of the in-memory key that
 * signs the per-call gateway→agent tokens (agent-token-signer.ts): never one operation per call.
 */
export interface Signer {
  /** JWS algorithm, e.g. ES256 or RS256. */
  readonly alg: string;
  /** Key id, carried in every JWS header. */
  readonly kid: string;
  /**
   * Signs a JWT with `iat` set and `exp` = now + `expiresInSeconds`. `typ` is the JWS header's
   * type (RFC 8725 §3.11: explicit typing, so one kind of token never passes for another).
   * @default typ "JWT"
   */
  signJwt(payload: JWTPayload, opts: { expiresInSeconds: number; typ?: string }): Promise<string>;
  /** Detached signature over bytes (checkpoints); base64url. */
  signBytes(data: Buffer): Promise<string>;
  /** The public key, for verifiers (the agent, auditors verifying offline). */
  publicJwk(): Promise<JWK>;
}
