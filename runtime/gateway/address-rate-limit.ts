/**
 * Per-client-address rate limit, BEFORE authentication: a flood of bad tokens (or of any refused
 * request) from one address is cut with 429 before the gateway verifies a token or writes an
 * audit record for each. Only refused requests (status >= 400) count, so many users behind one
 * NAT are not throttled by each other's successful calls; once the limit is reached every request
 * from that address is refused until the minute ends. The address is `req.ip`, which honours
 * X-Forwarded-For only from GATEHOUSE_TRUSTED_PROXIES (trusted-proxies.ts). In-memory per replica.
 */
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { RequestHandler } from "express";
import { GatehouseError } from "../core/errors";
import { sendRejection } from "../http/send-rejection";

export function addressRateLimit(refusalsPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: refusalsPerMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    // IPv6 clients are keyed by their /56, as one host usually holds the whole prefix.
    keyGenerator: (req) => `addr:${ipKeyGenerator(req.ip ?? "unknown")}`,
    handler: (_req, res) => {
      res.locals.preAuthLimited = true;
      sendRejection(
        res,
        new GatehouseError(
          "ERR_RATE_LIMITED",
          `Too many refused requests from your address: at most ${refusalsPerMinute} per minute`,
        ),
      );
    },
  });
}
