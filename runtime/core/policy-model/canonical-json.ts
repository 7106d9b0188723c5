/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and its sha256: the one way Gatehouse
 * hashes structured data, for bundle versions, audit chain hashes and argument digests.
 * Part of the policy model (a leaf module: no cdktf, no other Gatehouse code): policies/ and the
 * runtime both use it.
 */
import { createHash } from "node:crypto";
import { canonicalize } from "json-canonicalize";

export function canonicalJson(value: unknown): string {
  return canonicalize(value);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
