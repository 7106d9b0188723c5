/**
 * Streamable HTTP front for the local MCP servers (the demo `customers` server, the benchmark
 * upstream): stateful MCP sessions (one transport and one McpServer per `Mcp-Session-Id`),
 * Host-header checked (the SDK's loopback DNS-rebinding protection, or an explicit list of Host
 * names when bound elsewhere, as in a container), at `/mcp`.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Express, Request, Response } from "express";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";

export interface StatefulMcpHttpApp {
  readonly app: Express;
  /** Open MCP sessions (diagnostics, the session benchmark). */
  sessionCount(): number;
  /** Ends every open session. */
  closeAll(): Promise<void>;
}

export interface StatefulMcpHttpOptions {
  /** Answer POSTs with plain JSON instead of an SSE stream. @default false */
  readonly jsonResponse?: boolean;
  /** Largest accepted request body. @default "100kb" (express's default) */
  readonly bodyLimit?: string;
  /**
   * Host names accepted in the Host header (the compose network's service name). Required to bind
   * anywhere but loopback, so no listener ever goes without DNS-rebinding protection.
   * @default - loopback names only
   */
  readonly allowedHosts?: readonly string[];
}

/**
 * The SDK's handler wants a plain IncomingMessage; the gateway's `req.auth: Identity` augmentation
 * of Express's Request (same tree) clashes with the SDK's own `auth` field, so pass it untyped.
 */
const raw = (req: Request): IncomingMessage => req as unknown as IncomingMessage;

function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code, message }, id: null });
}

/** `newServer` is called once per MCP session. */
export function createStatefulMcpHttpApp(
  newServer: () => McpServer,
  opts: StatefulMcpHttpOptions = {},
): StatefulMcpHttpApp {
  const app = createMcpExpressApp(
    opts.allowedHosts?.length ? { host: "0.0.0.0", allowedHosts: [...opts.allowedHosts] } : { host: "127.0.0.1" },
  );
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const existing = (req: Request, res: Response): StreamableHTTPServerTransport | undefined => {
    const id = req.header("mcp-session-id");
    if (!id) {
      rpcError(res, 400, -32000, "Bad Request: Mcp-Session-Id header is required");
      return undefined;
    }
    const transport = sessions.get(id);
    // An unknown or ended session is 404, so the client knows to initialize again (MCP spec).
    if (!transport) rpcError(res, 404, -32001, "Session not found");
    return transport;
  };

  app.post("/mcp", async (req, res) => {
    if (req.header("mcp-session-id")) {
      const transport = existing(req, res);
      if (transport) await transport.handleRequest(raw(req), res, req.body);
      return;
    }
    if (!isInitializeRequest(req.body)) {
      rpcError(res, 400, -32000, "Bad Request: no session id, and the request is not initialize");
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: opts.jsonResponse ?? false,
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await newServer().connect(transport);
    await transport.handleRequest(raw(req), res, req.body);
  });

  app.get("/mcp", async (req, res) => {
    const transport = existing(req, res);
    if (transport) await transport.handleRequest(raw(req), res);
  });

  app.delete("/mcp", async (req, res) => {
    const transport = existing(req, res);
    if (transport) await transport.handleRequest(raw(req), res);
  });

  return {
    app,
    sessionCount: () => sessions.size,
    closeAll: async () => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((t) => t.close()));
    },
  };
}

export interface ListeningMcpHttpApp {
  /** `http://127.0.0.1:<port>/mcp` (https with TLS) */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (port 0 = any free port), or on `host` (an app made with `allowedHosts`);
 * over TLS when given a certificate and its key (PEM).
 */
export async function listenMcpHttpApp(
  app: StatefulMcpHttpApp,
  port: number,
  host = "127.0.0.1",
  tls?: { cert: Buffer; key: Buffer },
): Promise<ListeningMcpHttpApp> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = tls
      ? https.createServer(tls, app.app).listen(port, host, () => resolve(s))
      : app.app.listen(port, host, () => resolve(s));
    s.once("error", reject);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${actual}/mcp`,
    port: actual,
    close: async () => {
      await app.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
