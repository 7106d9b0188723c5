/**
 * Every refusal of the gateway (and the agent) goes through this one function, sendRejection:
 * the status comes from core/error-status.ts, and the body has one shape per surface —
 * - the MCP endpoint (/mcp/*): a JSON-RPC error carrying the stable code in `error.data.code`;
 * - everything else (the REST API /api/*, the approvals page): `{ error: { code, message, ... } }`
 *   with the `rest` status, including the 401s of the bearer middleware on /api.
 * Nothing secret or unmasked is echoed: messages are our own texts, details are safe by
 * construction, and an unexpected error's text is logged masked (a message may quote input).
 */
import type { ServerResponse } from "node:http";
import type { Response } from "express";
import { ZodError } from "zod";
import { GatehouseError, isGatehouseError } from "../core/errors";
import { errorStatus } from "../core/error-status";
import type { RequestId } from "../core/mcp/jsonrpc";
import { logger } from "../core/telemetry/logger";
import { maskLabel } from "../core/masking/mask-label";
import { fromBodyParserError } from "./body-parser-error";

export interface JsonRpcErrorBody {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: { code: number; message: string; data: { code: string } & Record<string, unknown> };
}

export interface ApiErrorBody {
  error: { code: string; message: string } & Record<string, unknown>;
}

export type Surface = "mcp" | "api";

/** Any thrown value as a GatehouseError: body-parser and schema errors get stable codes, the rest ERR_INTERNAL. */
export function toGatehouseError(err: unknown): GatehouseError {
  if (isGatehouseError(err)) return err;
  const parser = fromBodyParserError(err);
  if (parser) return parser;
  if (err instanceof ZodError) {
    return new GatehouseError(
      "ERR_BAD_REQUEST",
      err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    );
  }
  // An unexpected error's text may quote data (a parser echoing input): masked like any label.
  logger.error("unexpected error", {
    event: "gateway.internal_error",
    error: maskLabel(err instanceof Error ? err.message : String(err)),
  });
  return new GatehouseError("ERR_INTERNAL", "Internal error");
}

/** The JSON-RPC error body and HTTP status of a refusal on the MCP endpoint. */
export function rejectionBody(
  err: unknown,
  id: RequestId | null = null,
): { status: number; body: JsonRpcErrorBody; error: GatehouseError } {
  const e = toGatehouseError(err);
  const s = errorStatus(e.code);
  const rpc = typeof e.details.rpcCode === "number" ? e.details.rpcCode : s.rpc;
  const { rpcCode: _r, ...details } = e.details;
  return {
    status: s.http,
    error: e,
    body: { jsonrpc: "2.0", id, error: { code: rpc, message: e.message, data: { code: e.code, ...details } } },
  };
}

/** The REST body and status of a refusal on the API: only the details a client may act on. */
export function apiErrorBody(err: unknown): { status: number; body: ApiErrorBody; error: GatehouseError } {
  const e = toGatehouseError(err);
  const { approvalId, grantId, required, status, retryAfterSeconds } = e.details;
  const safe = Object.fromEntries(
    Object.entries({ approvalId, grantId, required, status, retryAfterSeconds }).filter(([, v]) => v !== undefined),
  );
  return { status: errorStatus(e.code).rest, error: e, body: { error: { code: e.code, message: e.message, ...safe } } };
}

/** The surface a response belongs to, by its route: JSON-RPC under /mcp, the REST shape elsewhere. */
export function surfaceOf(res: Response): Surface {
  const url = res.req?.originalUrl ?? "/mcp";
  return /^\/mcp(\/|\?|$)/.test(url) ? "mcp" : "api";
}

export function sendRejection(
  res: Response,
  err: unknown,
  opts: { id?: RequestId | null; headers?: Record<string, string>; surface?: Surface } = {},
): GatehouseError {
  const { status, body, error } =
    (opts.surface ?? surfaceOf(res)) === "mcp" ? rejectionBody(err, opts.id ?? null) : apiErrorBody(err);
  res.locals.refusal = error;
  // An open SSE stream belongs to the MCP call path (mcp/call-response.ts): here only ended.
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return error;
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) res.setHeader(k, v);
  // A store or service that is down says when to come back (RFC 9110 Retry-After).
  if (typeof error.details.retryAfterSeconds === "number")
    res.setHeader("retry-after", String(error.details.retryAfterSeconds));
  res.status(status).setHeader("cache-control", "no-store").json(body);
  return error;
}

/**
 * sendRejection for a handler on node:http without Express (the agent's relay path): the same
 * JSON-RPC body, status and headers as the MCP surface of sendRejection.
 */
export function sendMcpRejection(res: ServerResponse, err: unknown, id: RequestId | null = null): GatehouseError {
  const { status, body, error } = rejectionBody(err, id);
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return error;
  }
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  };
  if (typeof error.details.retryAfterSeconds === "number")
    headers["retry-after"] = String(error.details.retryAfterSeconds);
  res.writeHead(status, headers).end(text);
  return error;
}
