/**
 * Forwards one MCP HTTP request to the agent with a short-lived gateway token bound to that
 * request (server, HTTP method, JSON-RPC method and a hash of the exact body bytes). The client's
 * Authorization header is never forwarded; only the MCP headers below cross.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import type { Signer } from "../../core/signing/signer";

import { AGENT_AUDIENCE, AGENT_TOKEN_SECONDS, GATEWAY_ISSUER, bodyHash } from "../../core/mcp/agent-token";

/** Request headers that carry MCP meaning and may cross to the agent. */
const FORWARDED = ["content-type", "accept", "mcp-protocol-version", "last-event-id", "mcp-method", "mcp-name", "traceparent", "tracestate"];

export interface ForwardInput {
  readonly httpMethod: "POST" | "GET" | "DELETE";
  readonly server: string;
  readonly identity: Identity;
  readonly rpcMethod: string | null;
  readonly correlationId: string;
  readonly headers: IncomingHttpHeaders;
  /** The unwrapped upstream session id, if any. */
  readonly upstreamSessionId: string | null;
  readonly body?: Buffer;
  readonly signal: AbortSignal;
}

export class AgentClient {
  constructor(
    private readonly agentUrl: string,
    private readonly signer: Signer,
  ) {}

  async forward(input: ForwardInput): Promise<Response> {
    const body = input.body ?? Buffer.alloc(0);
    const token = await this.signer.signJwt(
      {
        iss: GATEWAY_ISSUER,
        aud: AGENT_AUDIENCE,
        sub: input.identity.oid,
        jti: randomUUID(),
        server: input.server,
        htm: input.httpMethod,
        rpc: input.rpcMethod,
        bh: bodyHash(body),
        corr: input.correlationId,
      },
      { expiresInSeconds: AGENT_TOKEN_SECONDS },
    );
    const headers = new Headers({ authorization: `Bearer ${token}`, "x-gatehouse-correlation-id": input.correlationId });
    for (const h of FORWARDED) {
      const v = input.headers[h];
      if (typeof v === "string") headers.set(h, v);
    }
    // W3C trace context: continue the client's trace, or start one here.
    if (!headers.has("traceparent")) headers.set("traceparent", `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`);
    if (input.upstreamSessionId) headers.set("mcp-session-id", input.upstreamSessionId);
    try {
      return await fetch(`${this.agentUrl}/mcp/${encodeURIComponent(input.server)}`, {
        method: input.httpMethod,
        headers,
        body: input.httpMethod === "POST" ? body : undefined,
        signal: input.signal,
        redirect: "manual",
      });
    } catch (e) {
      if (input.signal.aborted && input.signal.reason instanceof GatehouseError) throw input.signal.reason;
      throw new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", "Bad gateway: the agent could not be reached", {}, { cause: e });
    }
  }
}
