/**
 * A hostile (or merely unusual) Streamable HTTP MCP server on raw node:http, for the attacks the
 * SDK servers are too well-behaved to stage: it records every request exactly as it arrived
 * (headers and bytes), answers initialize and notifications itself, and hands every other request
 * to the test's handler. Listens on 127.0.0.1; the test stops it.
 */
import type http from "node:http";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServers, listenOnLoopback } from "../../support/loopback-server";

export interface Received {
  readonly method: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body as JSON, when it is. */
  readonly json: Record<string, unknown> | null;
}

export type Handler = (msg: Record<string, unknown>, res: ServerResponse, received: Received) => void | Promise<void>;

export interface HostileUpstream {
  readonly url: string;
  readonly received: Received[];
  /** POSTs carrying a JSON-RPC message with this method. */
  posts(method: string): Received[];
  /** Resolves with the next POST whose JSON satisfies `match` (already received ones count). */
  next(match: (json: Record<string, unknown>) => boolean): Promise<Received>;
  stop(): Promise<void>;
}

export const SESSION = "hostile-session-1";

export async function startHostileUpstream(handler: Handler): Promise<HostileUpstream> {
  const received: Received[] = [];
  const waiters: { match: (j: Record<string, unknown>) => boolean; resolve: (r: Received) => void }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let json: Record<string, unknown> | null;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        json = null;
      }
      const r: Received = { method: req.method ?? "", headers: req.headers, body, json };
      received.push(r);
      for (const w of [...waiters]) {
        if (json && w.match(json)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
      if (req.method !== "POST") return void res.writeHead(405).end();
      if (!json) return void res.writeHead(400).end();
      if (json.method === "initialize") {
        res.writeHead(200, { "content-type": "application/json", "mcp-session-id": SESSION });
        return void res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: json.id,
            result: {
              protocolVersion: "2025-06-18",
              capabilities: { tools: {} },
              serverInfo: { name: "hostile", version: "1" },
            },
          }),
        );
      }
      if (!("method" in json) || !("id" in json)) return void res.writeHead(202).end();
      void handler(json, res, r);
    });
  });
  const { url } = await listenOnLoopback(server);
  return {
    url: `${url}/mcp`,
    received,
    posts: (method) => received.filter((r) => r.json?.method === method),
    next: (match) => {
      const hit = received.find((r) => r.json && match(r.json));
      return hit ? Promise.resolve(hit) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
    stop: () => closeServers(server),
  };
}

/** Opens an SSE answer and returns a function writing one event. */
export function openSse(res: ServerResponse): (fields: string) => void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
  return (fields) => void res.write(`${fields}\n\n`);
}

export function jsonAnswer(res: ServerResponse, value: unknown, contentType = "application/json"): void {
  res.writeHead(200, { "content-type": contentType });
  res.end(JSON.stringify(value));
}
