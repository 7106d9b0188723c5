/**
 * Streamable HTTP front of the demo `customers` server: stateful MCP sessions (one transport and
 * one McpServer per `Mcp-Session-Id`), Host-header checked (the SDK's loopback DNS-rebinding
 * protection), at `/mcp`.
 */
import { randomUUID } from "node:crypto";
import type { Express, Request, Response } from "express";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { CustomerStore } from "./customer-store";
import { createCustomersMcpServer } from "./customers-mcp-server";

export interface CustomersHttpApp {
  readonly app: Express;
  readonly store: CustomerStore;
  /** Open MCP sessions (for diagnostics and the session benchmark). */
  sessionCount(): number;
  /** Ends every open session. */
  closeAll(): Promise<void>;
}

function rpcError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code, message }, id: null });
}

export function createCustomersHttpApp(store: CustomerStore = new CustomerStore()): CustomersHttpApp {
  const app = createMcpExpressApp({ host: "127.0.0.1" });
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
      if (transport) await transport.handleRequest(req, res, req.body);
      return;
    }
    if (!isInitializeRequest(req.body)) {
      rpcError(res, 400, -32000, "Bad Request: no session id, and the request is not initialize");
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await createCustomersMcpServer(store).connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  app.get("/mcp", async (req, res) => {
    const transport = existing(req, res);
    if (transport) await transport.handleRequest(req, res);
  });

  app.delete("/mcp", async (req, res) => {
    const transport = existing(req, res);
    if (transport) await transport.handleRequest(req, res);
  });

  return {
    app,
    store,
    sessionCount: () => sessions.size,
    closeAll: async () => {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(open.map((t) => t.close()));
    },
  };
}
