export * from "./record-schema";
export * from "./audit-sink";
export * from "./blob-layout";
export * from "./chain-hash";
export * from "./checkpoint";
export * from "./blob-audit-sink";
export { DEFAULT_ROLLOVER, MAX_BLOCK_BYTES, type ChainHead, type RolloverLimits } from "./chain-writer";
export { AUDIT_LOG_MESSAGE, ANCHOR_LOG_MESSAGE, CHECKPOINT_LOG_MESSAGE, auditLogProperties } from "./audit-log";
