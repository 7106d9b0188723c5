/**
 * The conformance suite cannot send a token, and the gateway has no auth bypass: this test-only
 * forwarder adds a demo user's bearer token and passes everything else through unchanged —
 * including Host and Origin, so the gateway's own DNS-rebinding protection is what the suite sees.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TokenForwarder {
  readonly port: number;
  /** Where requests go (set once the gateway is up). */
  target: string;
  stop(): Promise<void>;
}

export async function startTokenForwarder(token: () => string): Promise<TokenForwarder> {
  const fwd: TokenForwarder = { port: 0, target: "", stop: async () => undefined };
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? "/", fwd.target);
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: req.method,
        headers: { ...req.headers, authorization: `Bearer ${token()}` },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  Object.assign(fwd, {
    port: (server.address() as AddressInfo).port,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  });
  return fwd;
}
