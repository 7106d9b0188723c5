/**
 * The last step of POST, GET and DELETE, once the request is recorded: forward it to the agent
 * (bounded by the server's timeout, aborted when the client goes away) and relay the answer. How
 * the exchange ended is recorded when no final response was: an error, a stream that closed, an
 * upstream that ended without answering.
 */
import type { IncomingHttpHeaders } from "node:http";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import type { RequestId } from "../../core/mcp/jsonrpc";
import type { SessionSealer } from "../../core/mcp/session-envelope";
import type { ToolCatalog } from "../../core/approvals/tool-catalog";
import type { AgentClient } from "./agent-client";
import type { Call } from "./call-context";
import { relayResponse } from "./response-relay";

export interface ForwardDeps {
  readonly agentClient: AgentClient;
  readonly sessions: SessionSealer;
  readonly tools?: ToolCatalog;
  readonly keepAliveMs: number;
}

export interface ForwardRequest {
  readonly httpMethod: "POST" | "GET" | "DELETE";
  readonly headers: IncomingHttpHeaders;
  /** The message the gateway serialized (POST only): never the client's bytes. */
  readonly body?: Buffer;
  readonly rpcMethod: string | null;
  /** The client's id of the request (null for GET, DELETE, notifications and client answers). */
  readonly requestId: RequestId | null;
  readonly upstreamSessionId: string | null;
}

export async function forwardCall(call: Call, deps: ForwardDeps, request: ForwardRequest): Promise<void> {
  const { ctx, recorder, response } = call;
  const spec = ctx.policy.server(ctx.server);
  const controller = new AbortController();
  // Streams opened by GET live as long as the client wants; requests are bounded by the server's timeout.
  const timer =
    request.httpMethod === "GET"
      ? null
      : setTimeout(
          () =>
            controller.abort(
              new GatehouseError(
                "ERR_UPSTREAM_TIMEOUT",
                `Gateway timeout: the server did not answer within ${spec?.timeouts.requestMs} ms`,
              ),
            ),
          spec?.timeouts.requestMs ?? 60_000,
        );
  const onClose = () => {
    if (!response.res.writableFinished)
      controller.abort(new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", "the client went away"));
  };
  response.res.on("close", onClose);
  ctx.upstreamStarted = performance.now();
  try {
    const upstream = await deps.agentClient.forward({
      httpMethod: request.httpMethod,
      server: ctx.server,
      identity: ctx.identity,
      rpcMethod: request.rpcMethod,
      correlationId: ctx.correlationId,
      headers: request.headers,
      upstreamSessionId: request.upstreamSessionId,
      body: request.body,
      signal: controller.signal,
    });
    await relayResponse(ctx, recorder, response, upstream, {
      requestId: request.requestId,
      upstreamRequestId: ctx.upstreamRequestId,
      sessions: deps.sessions,
      tools: deps.tools,
      keepAliveMs: deps.keepAliveMs,
    });
    if (request.requestId !== null || request.httpMethod !== "POST") {
      const reason =
        request.httpMethod === "POST" ? "the upstream ended without a response" : `${request.httpMethod} completed`;
      await recorder.end({ outcome: request.httpMethod === "POST" ? "error" : "info", reason }, { status: "none" });
    }
  } catch (e) {
    const reason = controller.signal.aborted ? controller.signal.reason : e;
    const err = isGatehouseError(reason)
      ? reason
      : isGatehouseError(e)
        ? e
        : new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "Bad gateway: the upstream response broke off");
    await recorder.end({ outcome: "error", code: err.code, reason: err.message }, { status: "error" });
    if (!response.finished) response.reject(err, request.requestId);
  } finally {
    if (timer) clearTimeout(timer);
    response.res.off("close", onClose);
  }
}
