/**
 * A Streamable HTTP upstream: the request is forwarded as raw bytes and the answer streamed back
 * unchanged (the gateway does the masking), with the credential the bundle names injected.
 *
 * node:http with keep-alive agents, not fetch: the agent is a pure byte relay, and undici's fetch
 * (Request/Response objects, WHATWG streams, abort plumbing) was half of the agent's CPU per call
 * under load (docs/benchmarks.md, gateway section).
 */
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import https from "node:https";
import { GatehouseError } from "../core/errors";
import { flushHeadersSoon } from "../http/deferred-headers";

/** Never a Content-Type from the request: the body is the gateway's UTF-8 JSON, and the upstream is told so (issue 12, item 1). */
const FORWARDED = [
  "accept",
  "mcp-protocol-version",
  "mcp-session-id",
  "last-event-id",
  "mcp-method",
  "mcp-name",
  "traceparent",
  "tracestate",
];
const RETURNED = ["content-type", "mcp-session-id", "mcp-protocol-version", "cache-control"];

/** Connections to upstreams are reused across calls (and across sessions of the same upstream). */
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/** Parsed upstream URLs: the bundle names a handful, and parsing one per call showed in the profile. */
const targets = new Map<string, URL>();
function targetOf(url: string): URL {
  let target = targets.get(url);
  if (!target) {
    target = new URL(url);
    // Bounded: a bundle reload may rename upstreams; forget them all rather than grow without end.
    if (targets.size >= 1024) targets.clear();
    targets.set(url, target);
  }
  return target;
}

export async function forwardHttp(
  url: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  injected: Record<string, string>,
): Promise<void> {
  const target = targetOf(url);
  const protocol = target.protocol === "https:" ? "https:" : target.protocol === "http:" ? "http:" : null;
  if (!protocol)
    throw new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", "Bad gateway: the MCP server's URL is not http(s)");
  const headers: OutgoingHttpHeaders = {};
  for (const h of FORWARDED) {
    const v = req.headers[h];
    if (typeof v === "string") headers[h] = v;
  }
  for (const [k, v] of Object.entries(injected)) headers[k.toLowerCase()] = v;
  const withBody = req.method === "POST";
  if (withBody) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(body.length);
  }

  const upstreamReq = (protocol === "https:" ? https : http).request(target, {
    method: req.method,
    headers,
    agent: agents[protocol],
  });
  // The client went away before the answer was complete: stop the upstream request too.
  const onClose = () => {
    if (!res.writableFinished) upstreamReq.destroy();
  };
  res.on("close", onClose);
  let upstream: IncomingMessage;
  try {
    upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      upstreamReq.once("response", resolve);
      upstreamReq.once("error", reject);
      upstreamReq.end(withBody ? body : undefined);
    });
  } catch (e) {
    res.off("close", onClose);
    throw new GatehouseError(
      "ERR_UPSTREAM_UNAVAILABLE",
      "Bad gateway: the MCP server could not be reached",
      {},
      { cause: e },
    );
  }
  res.statusCode = upstream.statusCode ?? 502;
  for (const h of RETURNED) {
    const v = upstream.headers[h];
    if (v !== undefined) res.setHeader(h, v);
  }
  if ((upstream.headers["content-type"] ?? "").startsWith("text/event-stream")) {
    res.setHeader("x-accel-buffering", "no");
    flushHeadersSoon(res);
  }
  upstream.on("error", () => res.destroy());
  upstreamReq.on("error", () => res.destroy());
  upstream.pipe(res);
  if (!res.closed) await new Promise<void>((resolve) => res.once("close", resolve));
  res.off("close", onClose);
}
