/**
 * Behind Azure Front Door (GATEHOUSE_FRONT_DOOR_ID set): every request must carry the profile's
 * `X-Azure-FDID`, so nothing reaches the gateway around the WAF (another Front Door profile, or a
 * path to the origin that skips Front Door); anything else is refused 403 ERR_EDGE_REFUSED and
 * audited with the other pre-authentication refusals (refusal-audit.ts).
 *
 * The client address then comes from `X-Azure-SocketIP`, and only when the TCP peer is one of
 * GATEHOUSE_TRUSTED_PROXIES (the ingress in front of the replica: Express's compiled `trust proxy`
 * list, the one that governs X-Forwarded-For, so both follow one setting). Front Door documents it as the
 * address of the TCP connection it accepted, while `X-Azure-ClientIP` "can be arbitrarily
 * overwritten by a user" and `X-Forwarded-For` keeps whatever the client sent, with Front Door's
 * value appended (https://learn.microsoft.com/azure/frontdoor/front-door-http-headers-protocol).
 *
 * Without GATEHOUSE_FRONT_DOOR_ID (local stack, tests) this middleware does nothing.
 */
import net from "node:net";
import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { GatehouseError } from "../core/errors";
import { sendRejection } from "../http/send-rejection";

export const FRONT_DOOR_ID_HEADER = "x-azure-fdid";
export const FRONT_DOOR_SOCKET_IP_HEADER = "x-azure-socketip";

export interface FrontDoorGuardOptions {
  /** The Front Door profile's id (azurerm_cdn_frontdoor_profile.resource_guid). @default - no check */
  readonly frontDoorId?: string;
}

const sameId = (received: string, expected: Buffer): boolean => {
  const r = Buffer.from(received.trim().toLowerCase());
  return r.length === expected.length && timingSafeEqual(r, expected);
};

export function frontDoorGuard(opts: FrontDoorGuardOptions): RequestHandler {
  if (!opts.frontDoorId) return (_req, _res, next) => next();
  const expected = Buffer.from(opts.frontDoorId.trim().toLowerCase());
  return (req: Request, res: Response, next: NextFunction) => {
    const peer = req.socket.remoteAddress;
    const trusted = req.app.get("trust proxy fn") as (address: string, hop: number) => boolean;
    const socketIp = req.headers[FRONT_DOOR_SOCKET_IP_HEADER];
    // Before the FDID check, so the refusal below is recorded with the right address too.
    if (peer && trusted(peer, 0) && typeof socketIp === "string" && net.isIP(socketIp.trim()) !== 0) {
      Object.defineProperty(req, "ip", { value: socketIp.trim(), configurable: true, enumerable: true });
    }
    const fdid = req.headers[FRONT_DOOR_ID_HEADER];
    if (typeof fdid === "string" && sameId(fdid, expected)) return next();
    // Recorded by RefusalAudit like the per-address limit's 429 (the flag names that family).
    res.locals.preAuthLimited = true;
    sendRejection(
      res,
      new GatehouseError("ERR_EDGE_REFUSED", "Requests reach this gateway only through its Front Door"),
    );
  };
}
