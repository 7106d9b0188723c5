import type { JWK, JWTPayload } from "jose";

/**
 * The gateway's signing key, behind one interface: in Azure a Key Vault key used through the
 * gateway's managed identity (the private key never leaves Key Vault), locally a generated key.
 * It signs the short-lived gateway→agent tokens, JIT session tokens and audit checkpoints.
 */
export interface Signer {
  /** JWS algorithm, e.g. ES256 or RS256. */
  readonly alg: string;
  /** Key id, carried in every JWS header. */
  readonly kid: string;
  /** Signs a JWT with `iat` set and `exp` = now + `expiresInSeconds`. */
  signJwt(payload: JWTPayload, opts: { expiresInSeconds: number }): Promise<string>;
  /** Detached signature over bytes (checkpoints); base64url. */
  signBytes(data: Buffer): Promise<string>;
  /** The public key, for verifiers (the agent, auditors verifying offline). */
  publicJwk(): Promise<JWK>;
}
