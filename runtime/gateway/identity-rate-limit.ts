/**
 * Per-identity rate limit (keyed by Entra oid, after authentication). In-memory per replica:
 * N replicas allow up to N times the limit, which is documented in docs/gateway.md.
 */
import { rateLimit } from "express-rate-limit";
import type { RequestHandler } from "express";
import { GatehouseError } from "../core/errors";
import { sendRejection } from "../http/send-rejection";

export function identityRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: (req) => `oid:${req.auth?.oid ?? "none"}`,
    handler: (_req, res) =>
      void sendRejection(
        res,
        new GatehouseError("ERR_RATE_LIMITED", `Too many requests: at most ${perMinute} per minute per identity`),
      ),
  });
}
