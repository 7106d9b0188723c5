/**
 * Short JWTs signed with the gateway Signer for the approval page's cookies (the sign-in state
 * and the approver session). Every replica shares the Signer key, so any replica can read a
 * cookie another one set. Each kind has its own `typ` claim, so a JIT session token or an agent
 * token can never pass as a page cookie, nor the reverse.
 */
import { importJWK, jwtVerify, type JWTPayload, type KeyLike } from "jose";
import type { Signer } from "../../core/signing/signer";

export type StateKind = "gatehouse-approvals-login" | "gatehouse-approvals-session" | "gatehouse-approvals-draft";

export class SignedState {
  private key: Promise<KeyLike | Uint8Array> | null = null;

  constructor(private readonly signer: Signer) {}

  sign(kind: StateKind, claims: Record<string, unknown>, seconds: number): Promise<string> {
    return this.signer.signJwt({ ...claims, typ: kind }, { expiresInSeconds: Math.max(1, Math.floor(seconds)) });
  }

  /** The claims, or null when the value is missing, forged, expired or of another kind. */
  async verify(kind: StateKind, value: string | null): Promise<JWTPayload | null> {
    if (!value) return null;
    this.key ??= this.signer.publicJwk().then((jwk) => importJWK(jwk, jwk.alg ?? this.signer.alg));
    try {
      const { payload } = await jwtVerify(value, await this.key, {
        algorithms: [this.signer.alg],
        requiredClaims: ["exp"],
      });
      return payload.typ === kind ? payload : null;
    } catch {
      return null;
    }
  }
}
