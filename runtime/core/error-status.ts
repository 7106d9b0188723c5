/**
 * The one place where a GatehouseError code becomes an HTTP status and a JSON-RPC error code
 * (as http-proxy-middleware keeps its status mapping in one module). Refusals that are about one
 * JSON-RPC message (a denied tool, a guardrail, an approval) travel in-protocol: HTTP 200 with a
 * JSON-RPC error, so MCP clients show the reason instead of a transport failure.
 */
import type { ErrorCode } from "./errors";

export interface ErrorStatus {
  /** HTTP status of the response carrying the error. */
  readonly http: number;
  /** JSON-RPC `error.code`. */
  readonly rpc: number;
}

/** JSON-RPC 2.0 reserved codes and the MCP ones we use. */
export const RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** MCP SDKs use -32000 for transport-level refusals (host, accept, content type). */
  TRANSPORT: -32000,
  /** MCP SDKs answer an unknown session with -32001. */
  SESSION_NOT_FOUND: -32001,
  /** MCP 2026-07-28 Streamable HTTP: mirrored headers missing or different from the body. */
  HEADER_MISMATCH: -32020,
  // Gatehouse refusals, in the implementation-defined server range (-32000..-32099).
  UNAUTHENTICATED: -32040,
  FORBIDDEN: -32041,
  GUARDRAIL: -32042,
  APPROVAL: -32043,
  WITHHELD: -32044,
  RATE_LIMITED: -32045,
  UPSTREAM: -32046,
  AUDIT: -32047,
  STORE: -32048,
} as const;

const TABLE: Partial<Record<ErrorCode, ErrorStatus>> = {
  ERR_AUTH_MISSING: { http: 401, rpc: RPC.UNAUTHENTICATED },
  ERR_AUTH_INVALID: { http: 401, rpc: RPC.UNAUTHENTICATED },
  ERR_AUTH_EXPIRED: { http: 401, rpc: RPC.UNAUTHENTICATED },
  ERR_AUTH_REVOKED: { http: 401, rpc: RPC.UNAUTHENTICATED },
  ERR_FORBIDDEN: { http: 403, rpc: RPC.FORBIDDEN },
  ERR_UNKNOWN_SERVER: { http: 404, rpc: RPC.FORBIDDEN },
  ERR_TOOL_DENIED: { http: 200, rpc: RPC.FORBIDDEN },
  ERR_ARGUMENTS_DENIED: { http: 200, rpc: RPC.FORBIDDEN },
  ERR_GUARDRAIL_BLOCKED: { http: 200, rpc: RPC.GUARDRAIL },
  ERR_APPROVAL_REQUIRED: { http: 200, rpc: RPC.APPROVAL },
  ERR_APPROVAL_PENDING: { http: 200, rpc: RPC.APPROVAL },
  ERR_APPROVAL_REJECTED: { http: 200, rpc: RPC.APPROVAL },
  ERR_APPROVAL_EXPIRED: { http: 200, rpc: RPC.APPROVAL },
  ERR_APPROVAL_NOT_FOUND: { http: 404, rpc: RPC.APPROVAL },
  ERR_APPROVAL_CONFLICT: { http: 409, rpc: RPC.APPROVAL },
  ERR_APPROVAL_TOO_LARGE: { http: 200, rpc: RPC.APPROVAL },
  ERR_APPROVAL_REASON_REQUIRED: { http: 200, rpc: RPC.APPROVAL },
  ERR_CONFIRMATION_REQUIRED: { http: 400, rpc: RPC.INVALID_REQUEST },
  ERR_SELF_APPROVAL: { http: 403, rpc: RPC.FORBIDDEN },
  ERR_NOT_APPROVER: { http: 403, rpc: RPC.FORBIDDEN },
  ERR_BAD_REQUEST: { http: 400, rpc: RPC.INVALID_REQUEST },
  ERR_BATCH_REFUSED: { http: 400, rpc: RPC.INVALID_REQUEST },
  ERR_HEADER_MISMATCH: { http: 400, rpc: RPC.HEADER_MISMATCH },
  ERR_SESSION_INVALID: { http: 404, rpc: RPC.SESSION_NOT_FOUND },
  ERR_HOST_REFUSED: { http: 403, rpc: RPC.TRANSPORT },
  ERR_ORIGIN_REFUSED: { http: 403, rpc: RPC.TRANSPORT },
  ERR_BODY_TOO_LARGE: { http: 413, rpc: RPC.INVALID_REQUEST },
  ERR_RATE_LIMITED: { http: 429, rpc: RPC.RATE_LIMITED },
  ERR_SESSION_LIMIT: { http: 429, rpc: RPC.RATE_LIMITED },
  ERR_NOT_ACCEPTABLE: { http: 406, rpc: RPC.TRANSPORT },
  ERR_UNSUPPORTED_MEDIA_TYPE: { http: 415, rpc: RPC.TRANSPORT },
  ERR_METHOD_NOT_ALLOWED: { http: 405, rpc: RPC.TRANSPORT },
  // A JSON-RPC method the policy does not name: in-protocol, as JSON-RPC's "Method not found".
  ERR_METHOD_DENIED: { http: 200, rpc: RPC.METHOD_NOT_FOUND },
  // A client answer to a server request the gateway did not relay to this session.
  ERR_UNSOLICITED_RESPONSE: { http: 400, rpc: RPC.INVALID_REQUEST },
  ERR_REQUEST_TIMEOUT: { http: 408, rpc: RPC.TRANSPORT },
  ERR_UPSTREAM_UNAVAILABLE: { http: 502, rpc: RPC.UPSTREAM },
  ERR_UPSTREAM_TIMEOUT: { http: 504, rpc: RPC.UPSTREAM },
  ERR_UPSTREAM_BAD_RESPONSE: { http: 502, rpc: RPC.UPSTREAM },
  ERR_RESULT_WITHHELD: { http: 200, rpc: RPC.WITHHELD },
  ERR_AUDIT_UNAVAILABLE: { http: 503, rpc: RPC.AUDIT },
  ERR_STORE_UNAVAILABLE: { http: 503, rpc: RPC.STORE },
};

const FALLBACK: ErrorStatus = { http: 500, rpc: RPC.INTERNAL_ERROR };

export function errorStatus(code: ErrorCode | string): ErrorStatus {
  return TABLE[code as ErrorCode] ?? FALLBACK;
}
