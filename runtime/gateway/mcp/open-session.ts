/** The upstream session id inside the client's Mcp-Session-Id, after checking it names this identity and server. */
import type { IncomingHttpHeaders } from "node:http";
import type { SessionSealer } from "../../core/mcp/session-envelope";
import type { CallContext } from "./call-context";

/** Null when the client sent no session; throws ERR_SESSION_INVALID for an envelope that is not this caller's. */
export function openSession(sessions: SessionSealer, ctx: CallContext, headers: IncomingHttpHeaders): string | null {
  const sid = headers["mcp-session-id"];
  if (typeof sid !== "string" || sid === "") return null;
  const env = sessions.open(sid, { oid: ctx.identity.oid, server: ctx.server });
  ctx.upstreamSessionId = env.u;
  ctx.clientElicitation = env.e === true;
  return ctx.upstreamSessionId;
}
