/**
 * The chain rule, in one place for the writer and the verifier:
 * hash = sha256(prevHash + canonical JSON (RFC 8785) of the record without `hash`).
 */
import { randomUUID } from "node:crypto";
import { canonicalJson, sha256Hex } from "../policy-model/canonical-json";
import {
  AUDIT_SCHEMA_VERSION,
  AuditEventSchema,
  AuditRecordSchema,
  type AuditEventInput,
  type AuditRecord,
} from "./record-schema";

export function recordHash(record: Omit<AuditRecord, "hash"> & { hash?: unknown }): string {
  const { hash: _hash, ...rest } = record;
  return sha256Hex(String(rest.prevHash) + canonicalJson(rest));
}

/** A record whose stored form is known: `line` is exactly what goes to storage (no newline). */
export interface SealedRecord {
  readonly record: AuditRecord;
  readonly line: string;
}

/**
 * Validates an event and links it to the chain head. The record is round-tripped through JSON
 * before hashing so the hash covers exactly what is stored (undefined fields dropped, numbers
 * normalised), and checked against AuditRecordSchema.
 */
export function sealRecord(
  event: AuditEventInput,
  link: { chainId: string; seq: number; prevHash: string; time: string; id?: string },
): SealedRecord {
  const parsed = AuditEventSchema.parse(event);
  const draft = JSON.parse(
    JSON.stringify({
      ...parsed,
      schemaVersion: AUDIT_SCHEMA_VERSION,
      id: link.id ?? randomUUID(),
      time: link.time,
      chainId: link.chainId,
      seq: link.seq,
      prevHash: link.prevHash,
    }),
  ) as Omit<AuditRecord, "hash">;
  const record = AuditRecordSchema.parse({ ...draft, hash: recordHash(draft) });
  const line = JSON.stringify(record);
  // Parsing must not have changed what was hashed (a schema transform would break verification).
  if (recordHash(JSON.parse(line) as AuditRecord) !== record.hash)
    throw new Error("audit record does not round-trip through JSON");
  return { record, line };
}
