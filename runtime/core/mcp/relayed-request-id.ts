/**
 * Server→client requests (roots/list, sampling/createMessage, elicitation/create, ping) reach the
 * client with a gateway-owned id: the upstream's id sealed, with the session, identity, server and
 * method it was relayed for, under the session key. A client answer is forwarded only when its id
 * opens here and names the same session (issue 12, item 2): an answer to a request the gateway
 * never relayed cannot be made up, and the gateway knows which method it answers (roots answers
 * are policy).
 *
 * The gateway also asks the client itself (elicitation of a requester's reason or confirmation,
 * issues 19 and 20). Those ids are sealed under their own prefix, which is the authenticated data:
 * an id sealed for an upstream's request can never open as the gateway's, nor the reverse, so an
 * answer to the gateway never reaches an upstream and an upstream cannot claim one.
 *
 * Why sealed and not a table: the request is relayed by whichever replica holds the SSE stream and
 * the answer may be POSTed to any other; every replica has the session key, none needs to share
 * state (docs/security.md, "The MCP data path").
 */
import { z } from "zod";
import { RequestIdSchema, type RequestId } from "./jsonrpc";
import type { SessionSealer } from "./session-envelope";

const PREFIX = "gr1";
/** The gateway-origin marker: requests the gateway itself sends (never forwarded upstream). */
const GATEWAY_PREFIX = "ge1";
/** A relayed request may wait this long for its answer (a human answering an elicitation). */
export const RELAYED_REQUEST_TTL_SECONDS = 3600;

const RelayedRequestSchema = z.object({
  /** The upstream's own id of its request (for the gateway's own requests: the elicitation's id). */
  id: RequestIdSchema,
  /** The server's method (what the answer answers). */
  m: z.string().min(1),
  oid: z.string().min(1),
  s: z.string().min(1),
  /** The upstream session; null on stateless servers. */
  u: z.string().nullable(),
  exp: z.number().int(),
});
export type RelayedRequest = z.infer<typeof RelayedRequestSchema> & {
  /** Who asked: an upstream (the answer is forwarded) or the gateway (the answer stays here). */
  readonly origin: "upstream" | "gateway";
};

export interface RelayBinding {
  readonly oid: string;
  readonly server: string;
  readonly upstreamSessionId: string | null;
}

function seal(sealer: SessionSealer, prefix: string, id: RequestId, method: string, to: RelayBinding): string {
  const body: z.infer<typeof RelayedRequestSchema> = {
    id,
    m: method,
    oid: to.oid,
    s: to.server,
    u: to.upstreamSessionId,
    exp: Math.floor(Date.now() / 1000) + RELAYED_REQUEST_TTL_SECONDS,
  };
  return sealer.sealJson(prefix, body);
}

export function sealRelayedRequestId(
  sealer: SessionSealer,
  upstreamId: RequestId,
  method: string,
  to: RelayBinding,
): string {
  return seal(sealer, PREFIX, upstreamId, method, to);
}

/** The id of a request the gateway itself sends the client (`elicitationId`: its row in the shared store). */
export function sealGatewayRequestId(
  sealer: SessionSealer,
  elicitationId: string,
  method: string,
  to: RelayBinding,
): string {
  return seal(sealer, GATEWAY_PREFIX, elicitationId, method, to);
}

/** The relayed request a client answer's id names, or null when the gateway did not relay it to this session. */
export function openRelayedRequestId(
  sealer: SessionSealer,
  clientId: RequestId,
  from: RelayBinding,
): RelayedRequest | null {
  if (typeof clientId !== "string") return null;
  const origin = clientId.startsWith(`${GATEWAY_PREFIX}.`) ? "gateway" : "upstream";
  const parsed = RelayedRequestSchema.safeParse(
    sealer.openJson(origin === "gateway" ? GATEWAY_PREFIX : PREFIX, clientId),
  );
  if (!parsed.success) return null;
  const r = parsed.data;
  if (r.oid !== from.oid || r.s !== from.server || r.u !== from.upstreamSessionId || r.exp < Date.now() / 1000)
    return null;
  return { ...r, origin };
}
