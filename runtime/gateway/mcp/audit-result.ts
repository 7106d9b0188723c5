/** The audit view of a (masked) result: inline when small, otherwise digest and size only. */
import { createHash } from "node:crypto";
import type { AuditEventInput } from "../../core/audit/record-schema";
import { canonicalJson } from "../../core/policy-model/canonical-json";

export type AuditResult = NonNullable<AuditEventInput["result"]>;

const MAX_INLINE_RESULT = 32 * 1024;

export function auditResult(
  masked: unknown,
  status: AuditResult["status"],
  counts: Record<string, number>,
  errorCode: number | null = null,
): AuditResult {
  const text = canonicalJson(masked ?? null);
  const sizeBytes = Buffer.byteLength(text);
  return {
    status,
    errorCode,
    ...(sizeBytes <= MAX_INLINE_RESULT ? { masked } : {}),
    digest: createHash("sha256").update(text).digest("hex"),
    sizeBytes,
    maskingCounts: counts,
  };
}
