/**
 * Signing manifest.json with the gateway's checkpoint key, and checking it offline with the
 * public JWK alone — the same key, algorithm and canonical form (RFC 8785) as the audit
 * checkpoints, so the one key an auditor already trusts covers both. The signature sits in the
 * manifest (`signature: {alg, kid, value}`); `value` signs the canonical JSON of
 * `{alg, kid, manifest}` where `manifest` is every other field, unknown ones included: it is
 * computed and checked on the JSON as written, not on a schema-parsed copy.
 */
import type { JWK } from "jose";
import { canonicalJson } from "../policy-model/canonical-json";
import { verifyCheckpointSignature, type Checkpoint } from "../audit/checkpoint";
import type { Signer } from "../signing/signer";
import type { EvidencePackage } from "./evidence-package";
import { EvidenceManifestSchema, ManifestSignatureSchema } from "./manifest-schema";

/** `valid`, `invalid`, `unknown_key` (signed with a key not given), `unsigned`, or `unchecked` (no key given). */
export type ManifestSignatureCheck = "valid" | "invalid" | "unknown_key" | "unsigned" | "unchecked";

/** What is signed, in the checkpoint verifier's shape (every field but `signature`). */
function signedObject(
  manifest: Record<string, unknown>,
  alg: string,
  kid: string,
): { alg: string; kid: string; manifest: Record<string, unknown> } {
  // As written to disk: JSON round trip drops undefined fields exactly as JSON.stringify will.
  const body = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
  delete body.signature;
  return { alg, kid, manifest: body };
}

/** The package with manifest.json carrying `signature`; the other files are unchanged. */
export async function signEvidencePackage(pkg: EvidencePackage, signer: Signer): Promise<EvidencePackage> {
  const signed = signedObject(pkg.manifest, signer.alg, signer.kid);
  const value = await signer.signBytes(Buffer.from(canonicalJson(signed), "utf8"));
  const manifest = EvidenceManifestSchema.parse({
    ...signed.manifest,
    signature: { alg: signer.alg, kid: signer.kid, value },
  });
  const content = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
  return { manifest, files: pkg.files.map((f) => (f.name === "manifest.json" ? { name: f.name, content } : f)) };
}

/** Checks the signature of a parsed manifest.json (as written) against public JWKs. */
export function checkManifestSignature(
  manifest: Record<string, unknown>,
  publicJwks: readonly JWK[],
): ManifestSignatureCheck {
  if (manifest.signature === undefined) return "unsigned";
  const sig = ManifestSignatureSchema.safeParse(manifest.signature);
  if (!sig.success) return "invalid";
  if (publicJwks.length === 0) return "unchecked";
  // The checkpoint verifier's primitive: same algorithms, same key matching by kid.
  const { value, alg, kid } = sig.data;
  const asCheckpoint = { ...signedObject(manifest, alg, kid), signature: value } as unknown as Checkpoint;
  return verifyCheckpointSignature(asCheckpoint, publicJwks);
}
