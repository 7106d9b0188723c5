/**
 * stdio upstreams: one spawned process per MCP session, bridged to Streamable HTTP with the SDK's
 * server transport (sessions, SSE, GET stream, DELETE) on one side and its stdio client transport
 * on the other. A session ends on DELETE, when its process exits, or after `idleMs` without traffic.
 * Sessions live in this agent process: the gateway's session envelope names the agent (affinity).
 */
import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { McpServerSpec } from "../../policies/schema";
import { logger } from "../core/telemetry/logger";
import { maskLabel } from "../core/masking/mask-label";
import { errorStatus } from "../core/error-status";

interface Bridge {
  http: StreamableHTTPServerTransport;
  stdio: StdioClientTransport;
  idle: NodeJS.Timeout | null;
  /** Client requests waiting for their response, newest last (progress and server requests relate to them). */
  pending: (string | number)[];
  progress: Map<string | number, string | number>;
  closed: boolean;
  inflight: number;
}

type StdioSpec = Extract<McpServerSpec["transport"], { type: "stdio" }>;

export class StdioSessions {
  private readonly sessions = new Map<string, Bridge>();

  get size(): number {
    return this.sessions.size;
  }

  async handle(spec: McpServerSpec, env: Record<string, string>, req: Request, res: Response, parsedBody: unknown): Promise<void> {
    const sid = req.headers["mcp-session-id"];
    let bridge = typeof sid === "string" ? this.sessions.get(sid) : undefined;
    if (!bridge) {
      const isInit = req.method === "POST" && (parsedBody as { method?: unknown } | undefined)?.method === "initialize";
      if (typeof sid === "string" || !isInit) {
        res.status(typeof sid === "string" ? 404 : 400).json({ jsonrpc: "2.0", id: null, error: { code: -32001, message: typeof sid === "string" ? "Session not found" : "Bad Request: Mcp-Session-Id header is required" } });
        return;
      }
      bridge = await this.open(spec, env);
    }
    // Idle means no request in flight (an open GET stream or a long tool call is activity).
    const b = bridge;
    b.inflight++;
    if (b.idle) clearTimeout(b.idle);
    res.once("close", () => {
      if (--b.inflight === 0 && !b.closed) this.startIdle(b, spec.timeouts.idleMs);
    });
    if (req.method === "POST") this.track(bridge, parsedBody);
    await bridge.http.handleRequest(req as unknown as import("node:http").IncomingMessage, res, parsedBody);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((b) => this.close(b)));
  }

  private async open(spec: McpServerSpec, credentialEnv: Record<string, string>): Promise<Bridge> {
    const t = spec.transport as StdioSpec;
    // Only a minimal environment reaches the process: PATH etc., the bundle's env and the credentials.
    const stdio = new StdioClientTransport({ command: t.command, args: t.args, cwd: t.cwd, env: { ...getDefaultEnvironment(), ...t.env, ...credentialEnv }, stderr: "pipe" });
    const bridge: Bridge = { stdio, idle: null, pending: [], progress: new Map(), closed: false, inflight: 0, http: undefined as unknown as StreamableHTTPServerTransport };
    const http = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void this.sessions.set(id, bridge),
      onsessionclosed: () => void this.close(bridge),
    });
    bridge.http = http;
    http.onmessage = (m) => void stdio.send(m).catch((e) => logger.warn("stdio send failed", { event: "agent.stdio_send_failed", error: maskLabel((e as Error).message) }));
    stdio.onmessage = (m) => void http.send(m, { relatedRequestId: this.relate(bridge, m) }).catch(() => undefined);
    stdio.onclose = () => void this.close(bridge);
    stdio.onerror = (e) => {
      // The message may quote the server's output: masked like any label (issue 12, item 6).
      logger.warn("stdio upstream error", { event: "agent.stdio_error", server: spec.name, error: maskLabel(e.message) });
      // The SDK dropped a message larger than its read buffer: its request would never be answered.
      if (e.message.startsWith("ReadBuffer exceeded")) this.failPending(bridge, "Bad gateway: the MCP server's message exceeds the agent's read limit");
    };
    await stdio.start();
    stdio.stderr?.on("data", () => undefined); // drained, never logged: it may carry data
    await http.start();
    return bridge;
  }

  /** Remembers client requests so progress and server-to-client messages go to the right stream. */
  private track(b: Bridge, body: unknown): void {
    const m = body as { id?: string | number; method?: string; params?: { _meta?: { progressToken?: string | number } } };
    if (m && m.method !== undefined && m.id !== undefined) {
      b.pending.push(m.id);
      const token = m.params?._meta?.progressToken;
      if (token !== undefined) b.progress.set(token, m.id);
    }
  }

  private relate(b: Bridge, m: JSONRPCMessage): string | number | undefined {
    const msg = m as { id?: string | number; method?: string; params?: { progressToken?: string | number } };
    if (msg.method === undefined && msg.id !== undefined) {
      // The response itself: routed by id; forget the request.
      b.pending = b.pending.filter((x) => x !== msg.id);
      for (const [k, v] of b.progress) if (v === msg.id) b.progress.delete(k);
      return undefined;
    }
    if (msg.method === "notifications/progress" && msg.params?.progressToken !== undefined) return b.progress.get(msg.params.progressToken);
    // A stdio server cannot say which request a notification or request belongs to: while exactly
    // one request is open it is that one; otherwise the session's GET stream carries it.
    return b.pending.length === 1 ? b.pending[0] : undefined;
  }

  /** Answers every request still waiting on this session with a JSON-RPC error instead of leaving its stream empty. */
  private failPending(b: Bridge, message: string): void {
    const error = { code: errorStatus("ERR_UPSTREAM_BAD_RESPONSE").rpc, message, data: { code: "ERR_UPSTREAM_BAD_RESPONSE" } };
    const ids = b.pending;
    b.pending = [];
    b.progress.clear();
    for (const id of ids) {
      void b.http.send({ jsonrpc: "2.0", id, error }).catch((e) => logger.warn("stdio error answer not delivered", { event: "agent.stdio_send_failed", error: maskLabel((e as Error).message) }));
    }
  }

  private startIdle(b: Bridge, idleMs: number): void {
    if (b.idle) clearTimeout(b.idle);
    b.idle = setTimeout(() => void this.close(b), idleMs);
    b.idle.unref();
  }

  private async close(b: Bridge): Promise<void> {
    if (b.closed) return;
    b.closed = true;
    if (b.idle) clearTimeout(b.idle);
    const id = b.http?.sessionId;
    if (id) this.sessions.delete(id);
    await Promise.allSettled([b.stdio.close(), b.http?.close()]);
  }
}
