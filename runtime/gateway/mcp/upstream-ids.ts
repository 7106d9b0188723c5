/**
 * Gateway-owned JSON-RPC ids (issue 12, item 3). Two requests of one session with the same id
 * (tools/list and ping) got each other's answers upstream-side; so the upstream never sees a
 * client's id: each request is forwarded with an id unique to it (its correlation id) and its
 * answer is recognised by that id and given back the client's. The mapping lives in the request
 * itself (the answer comes back on the same HTTP exchange): no state shared between replicas.
 *
 * Only a client's notifications/cancelled names a request by the client's id: the requests in
 * flight on this replica are remembered for it. A cancellation reaching another replica than its
 * request is not forwarded (the request then runs to its end or its timeout).
 */
import type { RequestId } from "../../core/mcp/jsonrpc";
import type { CallContext } from "./call-context";

export function upstreamIdFor(ctx: CallContext): string {
  return `gh-${ctx.correlationId}`;
}

const inflight = new Map<string, RequestId>();

function key(ctx: CallContext, clientId: RequestId): string {
  return JSON.stringify([ctx.identity.oid, ctx.server, ctx.upstreamSessionId, clientId]);
}

/** Remembers a forwarded request until the returned function is called (when its answer is complete). */
export function rememberInflight(ctx: CallContext, clientId: RequestId, upstreamId: RequestId): () => void {
  const k = key(ctx, clientId);
  inflight.set(k, upstreamId);
  return () => {
    if (inflight.get(k) === upstreamId) inflight.delete(k);
  };
}

/** The upstream id of a request in flight on this replica, by the client's id. */
export function inflightUpstreamId(ctx: CallContext, clientId: RequestId): RequestId | null {
  return inflight.get(key(ctx, clientId)) ?? null;
}
