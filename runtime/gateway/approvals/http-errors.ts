/** Maps GatehouseError codes of the approvals and sessions API to HTTP statuses, in one place. */
import type { Response } from "express";
import { ZodError } from "zod";
import { GatehouseError, type ErrorCode } from "../../core/errors";
import { logger } from "../../core/telemetry/logger";
import { fromBodyParserError } from "../body-parser-error";

const STATUS: Partial<Record<ErrorCode, number>> = {
  ERR_AUTH_MISSING: 401,
  ERR_AUTH_INVALID: 401,
  ERR_AUTH_EXPIRED: 401,
  ERR_AUTH_REVOKED: 401,
  ERR_FORBIDDEN: 403,
  ERR_SELF_APPROVAL: 403,
  ERR_NOT_APPROVER: 403,
  ERR_UNKNOWN_SERVER: 404,
  ERR_APPROVAL_NOT_FOUND: 404,
  ERR_APPROVAL_CONFLICT: 409,
  ERR_APPROVAL_TOO_LARGE: 422,
  ERR_APPROVAL_EXPIRED: 410,
  ERR_APPROVAL_REJECTED: 403,
  ERR_BAD_REQUEST: 400,
  ERR_CONFIRMATION_REQUIRED: 400,
  ERR_BODY_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_AUDIT_UNAVAILABLE: 503,
  ERR_STORE_UNAVAILABLE: 503,
  ERR_UPSTREAM_UNAVAILABLE: 502,
  ERR_UPSTREAM_BAD_RESPONSE: 502,
};

export function toGatehouseError(e: unknown): GatehouseError {
  if (e instanceof GatehouseError) return e;
  const parser = fromBodyParserError(e);
  if (parser) return parser;
  if (e instanceof ZodError) {
    return new GatehouseError("ERR_BAD_REQUEST", e.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  }
  // The name only: a message may quote request text.
  logger.error("approvals API internal error", { event: "approvals.internal_error", error: e instanceof Error ? e.name : typeof e });
  return new GatehouseError("ERR_INTERNAL", "internal error");
}

export function statusOf(e: GatehouseError): number {
  return STATUS[e.code] ?? 500;
}

export function sendError(res: Response, err: unknown): void {
  const e = toGatehouseError(err);
  if (res.headersSent) return void res.end();
  if (typeof e.details.retryAfterSeconds === "number") res.setHeader("retry-after", String(e.details.retryAfterSeconds));
  res.status(statusOf(e)).json({ error: { code: e.code, message: e.message, ...safeDetails(e) } });
}

function safeDetails(e: GatehouseError): Record<string, unknown> {
  const { approvalId, grantId, required, status, retryAfterSeconds } = e.details as Record<string, unknown>;
  return Object.fromEntries(Object.entries({ approvalId, grantId, required, status, retryAfterSeconds }).filter(([, v]) => v !== undefined));
}
