import type { AuditEventInput, AuditRecord } from "./record-schema";

/**
 * The one interface every decision point writes through. `write` resolves only when the record
 * is durable; it rejects with a GatehouseError `ERR_AUDIT_UNAVAILABLE` when it could not be
 * persisted, and the caller must then refuse the request (fail closed).
 */
export interface AuditSink {
  write(event: AuditEventInput): Promise<AuditRecord>;
  /** Flushes pending records and releases resources. */
  close(): Promise<void>;
}
