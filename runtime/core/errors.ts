/**
 * One error base class with stable codes (as panva/jose does). Callers and tests switch on
 * `code`, never on message text. HTTP and JSON-RPC statuses are mapped in error-status.ts.
 */
export const ERROR_CODES = [
  // configuration and startup
  "ERR_CONFIG_INVALID",
  "ERR_POLICY_INVALID",
  // authentication
  "ERR_AUTH_MISSING",
  "ERR_AUTH_INVALID",
  "ERR_AUTH_EXPIRED",
  "ERR_AUTH_REVOKED",
  // authorization and policy
  "ERR_FORBIDDEN",
  "ERR_UNKNOWN_SERVER",
  "ERR_TOOL_DENIED",
  "ERR_ARGUMENTS_DENIED",
  "ERR_GUARDRAIL_BLOCKED",
  "ERR_APPROVAL_REQUIRED",
  "ERR_APPROVAL_PENDING",
  "ERR_APPROVAL_REJECTED",
  "ERR_APPROVAL_EXPIRED",
  "ERR_APPROVAL_NOT_FOUND",
  "ERR_APPROVAL_CONFLICT",
  "ERR_APPROVAL_TOO_LARGE",
  "ERR_APPROVAL_REASON_REQUIRED",
  "ERR_CONFIRMATION_REQUIRED",
  "ERR_REQUESTER_CONFIRMATION_REQUIRED",
  "ERR_REQUESTER_DECLINED",
  "ERR_SELF_APPROVAL",
  "ERR_NOT_APPROVER",
  "ERR_EDIT_INVALID",
  "ERR_EDIT_DENIED",
  "ERR_EDIT_FORBIDDEN",
  "ERR_EDIT_UNAVAILABLE",
  // protocol
  "ERR_BAD_REQUEST",
  "ERR_BATCH_REFUSED",
  "ERR_HEADER_MISMATCH",
  "ERR_SESSION_INVALID",
  "ERR_HOST_REFUSED",
  "ERR_ORIGIN_REFUSED",
  "ERR_EDGE_REFUSED",
  "ERR_BODY_TOO_LARGE",
  "ERR_RATE_LIMITED",
  "ERR_SESSION_LIMIT",
  "ERR_NOT_ACCEPTABLE",
  "ERR_METHOD_NOT_ALLOWED",
  "ERR_UNSUPPORTED_MEDIA_TYPE",
  "ERR_METHOD_DENIED",
  "ERR_UNSOLICITED_RESPONSE",
  "ERR_REQUEST_TIMEOUT",
  // upstream and masking
  "ERR_UPSTREAM_UNAVAILABLE",
  "ERR_UPSTREAM_TIMEOUT",
  "ERR_UPSTREAM_BAD_RESPONSE",
  "ERR_RESULT_WITHHELD",
  // audit
  "ERR_AUDIT_UNAVAILABLE",
  "ERR_AUDIT_CHAIN_BROKEN",
  // approvals and grants tables (the answer carries Retry-After)
  "ERR_STORE_UNAVAILABLE",
  // anything else
  "ERR_INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class GatehouseError extends Error {
  readonly code: ErrorCode;
  /** Safe, non-secret details that may be echoed to the caller and audited. */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GatehouseError";
    this.code = code;
    this.details = details;
  }
}

export function isGatehouseError(e: unknown): e is GatehouseError {
  return e instanceof GatehouseError;
}
