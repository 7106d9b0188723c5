/**
 * GATEHOUSE_TRUSTED_PROXIES: the peers whose X-Forwarded-For the gateway believes (Express
 * `trust proxy` with a list, never `true` or a hop count): an IP, a CIDR, or one of proxy-addr's
 * names `loopback`, `linklocal`, `uniquelocal`. Empty (the default) = none: the client address is
 * the TCP peer, so a client cannot choose the `clientIp` of its audit records or rate-limit key.
 */
import net from "node:net";
import { z } from "zod";

const NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

export function isProxyAddress(entry: string): boolean {
  if (NAMES.has(entry)) return true;
  const [ip, prefix, ...rest] = entry.split("/");
  const family = net.isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export const trustedProxies = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .refine(
    (list) => list.every(isProxyAddress),
    "must be comma-separated IP addresses or CIDRs (or loopback, linklocal, uniquelocal)",
  );
