/**
 * The chain rule, in one place for the writer and the verifier:
 * hash = sha256(prevHash + canonical JSON (RFC 8785) of the record without `hash`).
 */
import { randomUUID } from "node:crypto";
import { canonicalJson, sha256Hex } from "../policy-model/canonical-json";
import {
  AUDIT_SCHEMA_VERSION,
  AuditEventSchema,
  type AuditEvent,
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
 * Validates an event and links it to the chain head (callers holding an unvalidated event).
 */
export function sealRecord(
  event: AuditEventInput,
  link: { chainId: string; seq: number; prevHash: string; time: string; id?: string },
): SealedRecord {
  return sealEvent(AuditEventSchema.parse(event), link);
}

/**
 * Links an event validated at the sink's edge (AuditSink.write parses it once) to the chain head:
 * the hot path, one JSON serialization and one canonical hash per record. The hash is computed on
 * the record as JSON.parse will read it back from storage (undefined fields dropped, numbers
 * normalised), and the stored line is that same serialization plus `hash`, so what is hashed is
 * exactly what a verifier reads: no second validation or round-trip hash is needed (before issue
 * 15 each record was validated three times and canonically hashed twice).
 */
export function sealEvent(
  event: AuditEvent,
  link: { chainId: string; seq: number; prevHash: string; time: string; id?: string },
): SealedRecord {
  const { hash: _ignored, ...fields } = event as AuditEvent & { hash?: unknown };
  const json = JSON.stringify({
    ...fields,
    schemaVersion: AUDIT_SCHEMA_VERSION,
    id: link.id ?? randomUUID(),
    time: link.time,
    chainId: link.chainId,
    seq: link.seq,
    prevHash: link.prevHash,
  });
  const draft = JSON.parse(json) as Omit<AuditRecord, "hash">;
  const hash = recordHash(draft);
  const record = { ...draft, hash } as AuditRecord;
  // `hash` is the last member, as JSON.stringify of the record would put it.
  return { record, line: `${json.slice(0, -1)},"hash":${JSON.stringify(hash)}}` };
}
