/**
 * The User-Agent a request names, as the audit trail keeps it: at most 200 characters and masked
 * like every other caller-chosen string (issue 12, item 6: a client can put a card number or a
 * token in its User-Agent as easily as in a tool name).
 */
import type { IncomingMessage } from "node:http";
import { maskLabel } from "../core/masking/mask-label";

const MAX_USER_AGENT = 200;

export function clientUserAgent(req: IncomingMessage): string | null {
  const ua = req.headers["user-agent"];
  return typeof ua === "string" ? maskLabel(ua.slice(0, MAX_USER_AGENT)) : null;
}
