/**
 * Forwards one MCP HTTP request to the agent with a short-lived gateway token bound to that
 * request (server, HTTP method, JSON-RPC method and a hash of the exact body bytes). The client's
 * Authorization header is never forwarded; only the MCP headers below cross.
 *
 * node:http with a keep-alive agent, not fetch: under load undici's fetch machinery was a
 * quarter of the gateway's CPU profile (docs/benchmarks.md, gateway section). The answer is
 * handed on as the node:http stream itself (AgentAnswer), not wrapped in a WHATWG Response and
 * web streams (issue 15): the relay reads node streams end to end.
 */
import { randomBytes, randomUUID } from "node:crypto";
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import https from "node:https";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import type { Signer } from "../../core/signing/signer";
import { AgentTokenSigner } from "../../core/signing/agent-token-signer";
import { AGENT_AUDIENCE, GATEWAY_ISSUER, bodyHash } from "../../core/mcp/agent-token";

/**
 * Request headers that carry MCP meaning and may cross to the agent. Never the client's
 * Content-Type: the body is the gateway's own UTF-8 serialization, and says so (issue 12, item 1).
 */
const FORWARDED = [
  "accept",
  "mcp-protocol-version",
  "last-event-id",
  "mcp-method",
  "mcp-name",
  "traceparent",
  "tracestate",
];

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

/** Statuses that carry no body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** The agent's answer: status, headers (by lower-case name; repeated ones joined with ", " as WHATWG Headers does) and the body as it streams in. */
export interface AgentAnswer {
  readonly status: number;
  header(name: string): string | null;
  /** null when the status carries no body. */
  readonly body: IncomingMessage | null;
}

function answerOf(message: IncomingMessage): AgentAnswer {
  const status = message.statusCode ?? 502;
  const header = (name: string): string | null => {
    const v = message.headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };
  if (NULL_BODY.has(status)) {
    message.resume();
    return { status, header, body: null };
  }
  return { status, header, body: message };
}

export class AgentClient {
  /** Connections to the agent are reused across calls. */
  private readonly httpAgent: http.Agent;

  constructor(
    private readonly agentUrl: string,
    private readonly signer: Signer,
  ) {
    this.httpAgent = agentUrl.startsWith("https:")
      ? new https.Agent({ keepAlive: true })
      : new http.Agent({ keepAlive: true });
  }

  async forward(input: ForwardInput): Promise<AgentAnswer> {
    const body = input.body ?? Buffer.alloc(0);
    // Signed in memory by a key the Signer certifies once per period: no Key Vault call per message.
    const token = await AgentTokenSigner.for(this.signer).sign({
      iss: GATEWAY_ISSUER,
      aud: AGENT_AUDIENCE,
      sub: input.identity.oid,
      jti: randomUUID(),
      server: input.server,
      htm: input.httpMethod,
      rpc: input.rpcMethod,
      bh: bodyHash(body),
      corr: input.correlationId,
    });
    const headers: OutgoingHttpHeaders = {
      authorization: `Bearer ${token}`,
      "x-gatehouse-correlation-id": input.correlationId,
    };
    for (const h of FORWARDED) {
      const v = input.headers[h];
      if (typeof v === "string") headers[h] = v;
    }
    // W3C trace context: continue the client's trace, or start one here.
    if (!headers.traceparent)
      headers.traceparent = `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`;
    if (input.upstreamSessionId) headers["mcp-session-id"] = input.upstreamSessionId;
    const withBody = input.httpMethod === "POST";
    if (withBody) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(body.length);
    }
    let answer: IncomingMessage;
    try {
      answer = await this.send(
        `${this.agentUrl}/mcp/${encodeURIComponent(input.server)}`,
        input.httpMethod,
        headers,
        withBody ? body : undefined,
        input.signal,
      );
    } catch (e) {
      if (input.signal.aborted && input.signal.reason instanceof GatehouseError) throw input.signal.reason;
      throw new GatehouseError(
        "ERR_UPSTREAM_UNAVAILABLE",
        "Bad gateway: the agent could not be reached",
        {},
        { cause: e },
      );
    }
    return answerOf(answer);
  }

  /** One request to the agent; resolves with its answer (headers read, body streaming). Aborting destroys it. */
  private send(
    url: string,
    method: string,
    headers: OutgoingHttpHeaders,
    body: Buffer | undefined,
    signal: AbortSignal,
  ): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const req = (url.startsWith("https:") ? https : http).request(url, { method, headers, agent: this.httpAgent });
      const onAbort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      signal.addEventListener("abort", onAbort, { once: true });
      req.once("close", () => signal.removeEventListener("abort", onAbort));
      req.once("response", resolve);
      req.once("error", reject);
      req.end(body);
    });
  }
}
