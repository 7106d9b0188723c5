/**
 * Server→client requests (roots/list, sampling/createMessage, elicitation/create, ping) reach the
 * client with a gateway-owned id: the upstream's id sealed, with the session, identity, server and
 * method it was relayed for, under the session key. A client answer is forwarded only when its id
 * opens here and names the same session (issue 12, item 2): an answer to a request the gateway
 * never relayed cannot be made up, and the gateway knows which method it answers (roots answers
 * are policy).
 *
 * Why sealed and not a table: the request is relayed by whichever replica holds the SSE stream and
 * the answer may be POSTed to any other; every replica has the session key, none needs to share
 * state (docs/security.md, "The MCP data path").
 */
import { z } from "zod";
import { RequestIdSchema, type RequestId } from "./jsonrpc";
import type { SessionSealer } from "./session-envelope";

const PREFIX = "gr1";
/** A relayed request may wait this long for its answer (a human answering an elicitation). */
export const RELAYED_REQUEST_TTL_SECONDS = 3600;

const RelayedRequestSchema = z.object({
  /** The upstream's own id of its request. */
  id: RequestIdSchema,
  /** The server's method (what the answer answers). */
  m: z.string().min(1),
  oid: z.string().min(1),
  s: z.string().min(1),
  /** The upstream session; null on stateless servers. */
  u: z.string().nullable(),
  exp: z.number().int(),
});
export type RelayedRequest = z.infer<typeof RelayedRequestSchema>;

export interface RelayBinding {
  readonly oid: string;
  readonly server: string;
  readonly upstreamSessionId: string | null;
}

export function sealRelayedRequestId(
  sealer: SessionSealer,
  upstreamId: RequestId,
  method: string,
  to: RelayBinding,
): string {
  const body: RelayedRequest = {
    id: upstreamId,
    m: method,
    oid: to.oid,
    s: to.server,
    u: to.upstreamSessionId,
    exp: Math.floor(Date.now() / 1000) + RELAYED_REQUEST_TTL_SECONDS,
  };
  return sealer.sealJson(PREFIX, body);
}

/** The relayed request a client answer's id names, or null when the gateway did not relay it to this session. */
export function openRelayedRequestId(
  sealer: SessionSealer,
  clientId: RequestId,
  from: RelayBinding,
): RelayedRequest | null {
  if (typeof clientId !== "string") return null;
  const parsed = RelayedRequestSchema.safeParse(sealer.openJson(PREFIX, clientId));
  if (!parsed.success) return null;
  const r = parsed.data;
  if (r.oid !== from.oid || r.s !== from.server || r.u !== from.upstreamSessionId || r.exp < Date.now() / 1000)
    return null;
  return r;
}
