import type { AuditEventInput, AuditRecord } from "./record-schema";

/**
 * The one interface every decision point writes through. `write` resolves only when the record
 * is durable; it rejects with a GatehouseError `ERR_AUDIT_UNAVAILABLE` when it could not be
 * persisted, and the caller must then refuse the request (fail closed).
 */
export interface AuditSink {
  write(event: AuditEventInput): Promise<AuditRecord>;
  /**
   * Whether a write can succeed now (for /readyz): false once closed, once the chain is refused
   * (another writer forked it), or while the store does not answer. @default - always ready
   * (in-memory sinks)
   */
  ready?(): Promise<boolean>;
  /** Flushes pending records and releases resources. */
  close(): Promise<void>;
}
