/**
 * Slowloris on the body: a client that sends headers and then trickles the body (1 byte/s) would
 * hold a connection and a handler for as long as it likes. A request whose body has not fully
 * arrived `ms` after its headers is answered 408 ERR_REQUEST_TIMEOUT (JSON-RPC error body) and its
 * connection is closed. The Node server's own requestTimeout (gateway-server.ts) is the backstop.
 */
import type { RequestHandler } from "express";
import { GatehouseError } from "../core/errors";
import { logger } from "../core/telemetry/logger";
import { sendRejection } from "../http/send-rejection";

export function bodyDeadline(ms: number): RequestHandler {
  return (req, res, next) => {
    const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
    if (!hasBody || req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete) return;
      logger.warn("request body too slow: connection closed", { event: "gateway.body_timeout", ms });
      if (res.headersSent) return void req.socket.destroy();
      res.setHeader("connection", "close");
      res.once("finish", () => req.socket.destroy());
      sendRejection(
        res,
        new GatehouseError(
          "ERR_REQUEST_TIMEOUT",
          `Request Timeout: the request body must arrive within ${Math.ceil(ms / 1000)} s`,
        ),
      );
    }, ms).unref();
    const clear = (): void => clearTimeout(timer);
    req.once("end", clear);
    req.once("close", clear);
    next();
  };
}
