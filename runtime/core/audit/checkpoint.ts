/**
 * Signed checkpoints: a chain head (seq, hash) and the previous checkpoint's hash, signed with
 * the gateway's key. They live in the WORM container, so rewriting a chain (even with every hash
 * recomputed) or cutting its tail shows up against a signature only the gateway key can make;
 * auditors verify them offline with the public JWK alone.
 */
import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { z } from "zod";
import { canonicalJson, canonicalSha256 } from "../policy-model/canonical-json";
import { GENESIS_HASH } from "./record-schema";
import type { Signer } from "../signing/signer";

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);

export const CheckpointBodySchema = z.object({
  type: z.literal("gatehouse.checkpoint"),
  chainId: z.string().min(1),
  /** Sequence number and hash of the chain's last record at checkpoint time. */
  seq: z.number().int().nonnegative(),
  hash: HEX64,
  time: z.string().datetime(),
  /** Hash (canonical JSON, signature included) of this chain's previous checkpoint; 64 zeros for the first. */
  prevCheckpointHash: HEX64,
  kid: z.string().min(1),
  alg: z.string().min(1),
  /** "close" when written as the gateway stopped: records after it were appended later. */
  reason: z.enum(["interval", "close"]).optional(),
});
export type CheckpointBody = z.infer<typeof CheckpointBodySchema>;

export const CheckpointSchema = CheckpointBodySchema.extend({
  /** base64url signature over the canonical JSON of the body (every field but `signature`). */
  signature: z.string().min(1),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

export function checkpointHash(cp: Checkpoint): string {
  return canonicalSha256(cp);
}

export async function signCheckpoint(
  signer: Signer,
  head: { chainId: string; seq: number; hash: string; time?: string },
  prev: Checkpoint | null,
  reason?: "interval" | "close",
): Promise<Checkpoint> {
  const body = CheckpointBodySchema.parse({
    type: "gatehouse.checkpoint",
    chainId: head.chainId,
    seq: head.seq,
    hash: head.hash,
    time: head.time ?? new Date().toISOString(),
    prevCheckpointHash: prev ? checkpointHash(prev) : GENESIS_HASH,
    kid: signer.kid,
    alg: signer.alg,
    reason,
  });
  const signature = await signer.signBytes(Buffer.from(canonicalJson(body), "utf8"));
  return { ...body, signature };
}

export type SignatureCheck = "valid" | "invalid" | "unknown_key";

/** Verifies a checkpoint's signature with public JWKs only (offline). */
export function verifyCheckpointSignature(cp: Checkpoint, publicJwks: readonly JWK[]): SignatureCheck {
  const candidates = publicJwks.filter((k) => k.kid === cp.kid);
  if (candidates.length === 0) return "unknown_key";
  const { signature, ...body } = cp;
  const data = Buffer.from(canonicalJson(body), "utf8");
  const sig = Buffer.from(signature, "base64url");
  for (const jwk of candidates) {
    try {
      if (verifyWith(cp.alg, createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }), data, sig)) return "valid";
    } catch {
      // A key of the wrong type for alg is simply not a match.
    }
  }
  return "invalid";
}

function verifyWith(alg: string, key: KeyObject, data: Buffer, sig: Buffer): boolean {
  switch (alg) {
    case "ES256":
      return verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, sig);
    case "ES384":
      return verify("sha384", data, { key, dsaEncoding: "ieee-p1363" }, sig);
    case "RS256":
      return verify("sha256", data, key, sig);
    case "PS256":
      return verify("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
    default:
      return false;
  }
}
