/**
 * The gateway's HTTP server: Node's own limits on how long a client may take to send its headers
 * and its whole request (slowloris), checked every second instead of every 30 s. Express's
 * app.listen would create a server with Node's defaults (60 s for headers, 300 s per request).
 */
import http from "node:http";

export interface GatewayServerTimeouts {
  /** Time to receive the request headers. @default 10000 */
  readonly headersTimeoutMs?: number;
  /** Time to receive the body after the headers (the app answers 408 at this point). @default 30000 */
  readonly bodyTimeoutMs?: number;
}

export function createGatewayServer(app: http.RequestListener, t: GatewayServerTimeouts = {}): http.Server {
  const headersTimeout = t.headersTimeoutMs ?? 10_000;
  const server = http.createServer({ connectionsCheckingInterval: Math.min(1000, headersTimeout) }, app);
  server.headersTimeout = headersTimeout;
  // The whole request; a little past the app's own body deadline so its clearer 408 answers first.
  server.requestTimeout = headersTimeout + (t.bodyTimeoutMs ?? 30_000) + 1000;
  return server;
}
