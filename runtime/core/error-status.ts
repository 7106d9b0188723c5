/**
 * The one place where a GatehouseError code becomes a status (as http-proxy-middleware keeps its
 * status mapping in one module), one column per surface:
 * - `http` and `rpc`: the MCP endpoint. Refusals that are about one JSON-RPC message (a denied
 *   tool, a guardrail, an approval) travel in-protocol: HTTP 200 with a JSON-RPC error, so MCP
 *   clients show the reason instead of a transport failure.
 * - `rest`: the REST API (/api/*, the approvals page's posts), where the status says it all:
 *   an expired approval is 410, evidence from a broken audit chain 409.
 */
import type { ErrorCode } from "./errors";

export interface ErrorStatus {
  /** HTTP status of the response carrying the error. */
  readonly http: number;
  /** JSON-RPC `error.code`. */
  readonly rpc: number;
  /** HTTP status on the REST API (/api/*). */
  readonly rest: number;
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
  ERR_AUTH_MISSING: { http: 401, rpc: RPC.UNAUTHENTICATED, rest: 401 },
  ERR_AUTH_INVALID: { http: 401, rpc: RPC.UNAUTHENTICATED, rest: 401 },
  ERR_AUTH_EXPIRED: { http: 401, rpc: RPC.UNAUTHENTICATED, rest: 401 },
  ERR_AUTH_REVOKED: { http: 401, rpc: RPC.UNAUTHENTICATED, rest: 401 },
  ERR_FORBIDDEN: { http: 403, rpc: RPC.FORBIDDEN, rest: 403 },
  ERR_UNKNOWN_SERVER: { http: 404, rpc: RPC.FORBIDDEN, rest: 404 },
  ERR_TOOL_DENIED: { http: 200, rpc: RPC.FORBIDDEN, rest: 403 },
  ERR_ARGUMENTS_DENIED: { http: 200, rpc: RPC.FORBIDDEN, rest: 403 },
  ERR_GUARDRAIL_BLOCKED: { http: 200, rpc: RPC.GUARDRAIL, rest: 403 },
  ERR_APPROVAL_REQUIRED: { http: 200, rpc: RPC.APPROVAL, rest: 403 },
  ERR_APPROVAL_PENDING: { http: 200, rpc: RPC.APPROVAL, rest: 409 },
  ERR_APPROVAL_REJECTED: { http: 200, rpc: RPC.APPROVAL, rest: 403 },
  ERR_APPROVAL_EXPIRED: { http: 200, rpc: RPC.APPROVAL, rest: 410 },
  ERR_APPROVAL_NOT_FOUND: { http: 404, rpc: RPC.APPROVAL, rest: 404 },
  ERR_APPROVAL_CONFLICT: { http: 409, rpc: RPC.APPROVAL, rest: 409 },
  ERR_APPROVAL_TOO_LARGE: { http: 200, rpc: RPC.APPROVAL, rest: 422 },
  ERR_APPROVAL_REASON_REQUIRED: { http: 200, rpc: RPC.APPROVAL, rest: 400 },
  ERR_CONFIRMATION_REQUIRED: { http: 400, rpc: RPC.INVALID_REQUEST, rest: 400 },
  ERR_REQUESTER_CONFIRMATION_REQUIRED: { http: 200, rpc: RPC.APPROVAL, rest: 400 },
  ERR_REQUESTER_DECLINED: { http: 200, rpc: RPC.APPROVAL, rest: 403 },
  ERR_SELF_APPROVAL: { http: 403, rpc: RPC.FORBIDDEN, rest: 403 },
  ERR_NOT_APPROVER: { http: 403, rpc: RPC.FORBIDDEN, rest: 403 },
  // Edit-then-approve (issue 20, item 1): a bad edit, an edited call the policy refuses, a rule
  // that forbids edits, an edit this gateway cannot apply (no input schema seen, arguments not kept).
  ERR_EDIT_INVALID: { http: 400, rpc: RPC.INVALID_REQUEST, rest: 400 },
  ERR_EDIT_DENIED: { http: 200, rpc: RPC.FORBIDDEN, rest: 403 },
  ERR_EDIT_FORBIDDEN: { http: 403, rpc: RPC.FORBIDDEN, rest: 403 },
  ERR_EDIT_UNAVAILABLE: { http: 200, rpc: RPC.APPROVAL, rest: 422 },
  ERR_BAD_REQUEST: { http: 400, rpc: RPC.INVALID_REQUEST, rest: 400 },
  ERR_BATCH_REFUSED: { http: 400, rpc: RPC.INVALID_REQUEST, rest: 400 },
  ERR_HEADER_MISMATCH: { http: 400, rpc: RPC.HEADER_MISMATCH, rest: 400 },
  ERR_SESSION_INVALID: { http: 404, rpc: RPC.SESSION_NOT_FOUND, rest: 404 },
  ERR_HOST_REFUSED: { http: 403, rpc: RPC.TRANSPORT, rest: 403 },
  ERR_ORIGIN_REFUSED: { http: 403, rpc: RPC.TRANSPORT, rest: 403 },
  ERR_EDGE_REFUSED: { http: 403, rpc: RPC.TRANSPORT, rest: 403 },
  ERR_BODY_TOO_LARGE: { http: 413, rpc: RPC.INVALID_REQUEST, rest: 413 },
  ERR_RATE_LIMITED: { http: 429, rpc: RPC.RATE_LIMITED, rest: 429 },
  ERR_SESSION_LIMIT: { http: 429, rpc: RPC.RATE_LIMITED, rest: 429 },
  ERR_NOT_ACCEPTABLE: { http: 406, rpc: RPC.TRANSPORT, rest: 406 },
  ERR_UNSUPPORTED_MEDIA_TYPE: { http: 415, rpc: RPC.TRANSPORT, rest: 415 },
  ERR_METHOD_NOT_ALLOWED: { http: 405, rpc: RPC.TRANSPORT, rest: 405 },
  // A JSON-RPC method the policy does not name: in-protocol, as JSON-RPC's "Method not found".
  ERR_METHOD_DENIED: { http: 200, rpc: RPC.METHOD_NOT_FOUND, rest: 403 },
  // A client answer to a server request the gateway did not relay to this session.
  ERR_UNSOLICITED_RESPONSE: { http: 400, rpc: RPC.INVALID_REQUEST, rest: 400 },
  ERR_REQUEST_TIMEOUT: { http: 408, rpc: RPC.TRANSPORT, rest: 408 },
  ERR_UPSTREAM_UNAVAILABLE: { http: 502, rpc: RPC.UPSTREAM, rest: 502 },
  ERR_UPSTREAM_TIMEOUT: { http: 504, rpc: RPC.UPSTREAM, rest: 504 },
  ERR_UPSTREAM_BAD_RESPONSE: { http: 502, rpc: RPC.UPSTREAM, rest: 502 },
  ERR_RESULT_WITHHELD: { http: 200, rpc: RPC.WITHHELD, rest: 502 },
  ERR_AUDIT_UNAVAILABLE: { http: 503, rpc: RPC.AUDIT, rest: 503 },
  // Evidence is refused from a trail whose chain does not verify: the request conflicts with its state.
  ERR_AUDIT_CHAIN_BROKEN: { http: 500, rpc: RPC.AUDIT, rest: 409 },
  ERR_STORE_UNAVAILABLE: { http: 503, rpc: RPC.STORE, rest: 503 },
};

const FALLBACK: ErrorStatus = { http: 500, rpc: RPC.INTERNAL_ERROR, rest: 500 };

export function errorStatus(code: ErrorCode | string): ErrorStatus {
  return TABLE[code as ErrorCode] ?? FALLBACK;
}
