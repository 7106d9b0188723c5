/**
 * Every refusal of the gateway goes through this one function: the status comes from
 * core/error-status.ts, the body is a JSON-RPC error carrying the stable code, and nothing secret
 * or unmasked is echoed (messages are our own texts; details are safe by construction).
 */
import type { Response } from "express";
import { GatehouseError, isGatehouseError } from "../core/errors";
import { errorStatus } from "../core/error-status";
import type { RequestId } from "../core/mcp/jsonrpc";
import { logger } from "../core/telemetry/logger";

export interface JsonRpcErrorBody {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: { code: number; message: string; data: { code: string } & Record<string, unknown> };
}

export function toGatehouseError(err: unknown): GatehouseError {
  if (isGatehouseError(err)) return err;
  logger.error("unexpected error", { event: "gateway.internal_error", error: err instanceof Error ? err.message : String(err) });
  return new GatehouseError("ERR_INTERNAL", "Internal error");
}

export function rejectionBody(err: unknown, id: RequestId | null = null): { status: number; body: JsonRpcErrorBody; error: GatehouseError } {
  const e = toGatehouseError(err);
  const s = errorStatus(e.code);
  const rpc = typeof e.details.rpcCode === "number" ? e.details.rpcCode : s.rpc;
  const { rpcCode: _r, ...details } = e.details;
  return { status: s.http, error: e, body: { jsonrpc: "2.0", id, error: { code: rpc, message: e.message, data: { code: e.code, ...details } } } };
}

export function sendRejection(res: Response, err: unknown, opts: { id?: RequestId | null; headers?: Record<string, string> } = {}): GatehouseError {
  const { status, body, error } = rejectionBody(err, opts.id ?? null);
  res.locals.refusal = error;
  // An open SSE stream belongs to the MCP call path (mcp/call-response.ts): here only ended.
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return error;
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v);
  // A store or service that is down says when to come back (RFC 9110 Retry-After).
  if (typeof error.details.retryAfterSeconds === "number") res.setHeader("retry-after", String(error.details.retryAfterSeconds));
  res.status(status).setHeader("cache-control", "no-store").json(body);
  return error;
}
