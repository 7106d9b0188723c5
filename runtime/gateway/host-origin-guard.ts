/**
 * DNS-rebinding protection enforced by the gateway itself (never left to upstream servers): the
 * Host header must be one of the allowed hosts and a browser's Origin one of the allowed origins.
 */
import type { RequestHandler } from "express";
import { GatehouseError } from "../core/errors";
import { sendRejection } from "../http/send-rejection";
import { isProtectedResourceMetadata } from "./auth/protected-resource-router";

export function hostOriginGuard(opts: { allowedHosts: string[]; allowedOrigins: string[] }): RequestHandler {
  const hosts = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const origins = new Set(opts.allowedOrigins.map((o) => o.toLowerCase().replace(/\/+$/, "")));
  return (req, res, next) => {
    const host = (req.headers.host ?? "").toLowerCase();
    if (!hosts.has(host))
      return void sendRejection(
        res,
        new GatehouseError("ERR_HOST_REFUSED", "Forbidden: the Host header is not one this gateway serves"),
      );
    const origin = req.headers.origin;
    // The protected-resource metadata is public and served cross-origin to browser MCP clients
    // (CORS there, without credentials); the Host check above still applies to it.
    if (
      origin !== undefined &&
      !origins.has(origin.toLowerCase()) &&
      !isProtectedResourceMetadata(req.method, req.path)
    ) {
      return void sendRejection(res, new GatehouseError("ERR_ORIGIN_REFUSED", "Forbidden: the Origin is not allowed"));
    }
    next();
  };
}
