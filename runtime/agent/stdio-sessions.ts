/**
 * stdio upstreams: one spawned process per MCP session, bridged to Streamable HTTP with the SDK's
 * server transport (sessions, SSE, GET stream, DELETE) on one side and its stdio client transport
 * on the other. A session ends on DELETE, when its process exits, or after `idleMs` without traffic.
 * Sessions live in this agent process: the gateway's session envelope names the agent (affinity).
 * Sessions are capped per identity and per agent, idle time is bounded (stdio-limits.ts); a child
 * that exits is logged with its exit code and masked stderr, and its pending requests are answered
 * with a JSON-RPC error instead of hanging until the client gives up.
 */
import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { StdioClientTransport, getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { McpServerSpec } from "../core/policy-model/schema";
import { logger } from "../core/telemetry/logger";
import { maskLabel } from "../core/masking/mask-label";
import { GatehouseError } from "../core/errors";
import { rejectionBody } from "../http/send-rejection";
import { SessionQuota, STDIO_LIMIT_DEFAULTS, type StdioSessionLimits } from "./stdio-limits";
import { logStderr, watchExit } from "./stdio-child-log";

interface Bridge {
  http: StreamableHTTPServerTransport;
  stdio: StdioClientTransport;
  idle: NodeJS.Timeout | null;
  /** Client requests waiting for their response, newest last (progress and server requests relate to them). */
  pending: (string | number)[];
  progress: Map<string | number, string | number>;
  closed: boolean;
  inflight: number;
  /** Gives the session's slot back (SessionQuota). */
  release: () => void;
}

type StdioSpec = Extract<McpServerSpec["transport"], { type: "stdio" }>;

export class StdioSessions {
  private readonly sessions = new Map<string, Bridge>();
  private readonly quota: SessionQuota;
  private readonly maxIdleMs: number;

  constructor(limits: StdioSessionLimits = {}) {
    this.quota = new SessionQuota(limits);
    this.maxIdleMs = limits.maxIdleMs ?? STDIO_LIMIT_DEFAULTS.maxIdleMs;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** `owner`: the identity the gateway token names (its `sub`), for the per-identity cap. */
  async handle(
    spec: McpServerSpec,
    env: Record<string, string>,
    req: Request,
    res: Response,
    parsedBody: unknown,
    owner = "unknown",
  ): Promise<void> {
    const sid = req.headers["mcp-session-id"];
    let bridge = typeof sid === "string" ? this.sessions.get(sid) : undefined;
    if (!bridge) {
      const isInit = req.method === "POST" && (parsedBody as { method?: unknown } | undefined)?.method === "initialize";
      if (typeof sid === "string" || !isInit) {
        res.status(typeof sid === "string" ? 404 : 400).json({
          jsonrpc: "2.0",
          id: null,
          error: {
            code: -32001,
            message: typeof sid === "string" ? "Session not found" : "Bad Request: Mcp-Session-Id header is required",
          },
        });
        return;
      }
      const release = this.quota.reserve(owner);
      try {
        bridge = await this.open(spec, env, release);
      } catch (e) {
        release();
        throw e;
      }
    }
    // Idle means no request in flight (an open GET stream or a long tool call is activity).
    const b = bridge;
    b.inflight++;
    if (b.idle) clearTimeout(b.idle);
    res.once("close", () => {
      if (--b.inflight === 0 && !b.closed) this.startIdle(b, Math.min(spec.timeouts.idleMs, this.maxIdleMs));
    });
    if (req.method === "POST") this.track(bridge, parsedBody);
    await bridge.http.handleRequest(req as unknown as import("node:http").IncomingMessage, res, parsedBody);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((b) => this.close(b)));
  }

  private async open(spec: McpServerSpec, credentialEnv: Record<string, string>, release: () => void): Promise<Bridge> {
    const t = spec.transport as StdioSpec;
    // Only a minimal environment reaches the process: PATH etc., the bundle's env and the credentials.
    const stdio = new StdioClientTransport({
      command: t.command,
      args: t.args,
      cwd: t.cwd,
      env: { ...getDefaultEnvironment(), ...t.env, ...credentialEnv },
      stderr: "pipe",
    });
    const bridge: Bridge = {
      stdio,
      idle: null,
      pending: [],
      progress: new Map(),
      closed: false,
      inflight: 0,
      release,
      http: undefined as unknown as StreamableHTTPServerTransport,
    };
    const http = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void this.sessions.set(id, bridge),
      onsessionclosed: () => void this.close(bridge),
    });
    bridge.http = http;
    http.onmessage = (m) =>
      void stdio.send(m).catch((e) =>
        logger.warn("stdio send failed", {
          event: "agent.stdio_send_failed",
          error: maskLabel((e as Error).message),
        }),
      );
    stdio.onmessage = (m) =>
      void http.send(m, { relatedRequestId: this.relate(bridge, m) }).catch((e: unknown) =>
        logger.warn("stdio message not delivered to the gateway", {
          event: "agent.stdio_relay_failed",
          server: spec.name,
          error: maskLabel(e instanceof Error ? e.message : String(e)),
        }),
      );
    stdio.onclose = () => void this.exited(bridge, spec.name);
    stdio.onerror = (e) => {
      // The message may quote the server's output: masked like any label (issue 12, item 6).
      logger.warn("stdio upstream error", {
        event: "agent.stdio_error",
        server: spec.name,
        error: maskLabel(e.message),
      });
      // The SDK dropped a message larger than its read buffer: its request would never be answered.
      if (e.message.startsWith("ReadBuffer exceeded"))
        void this.failPending(
          bridge,
          new GatehouseError(
            "ERR_UPSTREAM_BAD_RESPONSE",
            "Bad gateway: the MCP server's message exceeds the agent's read limit",
          ),
        );
    };
    const dropped = logStderr(stdio, spec.name);
    await stdio.start();
    watchExit(stdio, spec.name, () => bridge.closed, dropped);
    await http.start();
    return bridge;
  }

  /** Remembers client requests so progress and server-to-client messages go to the right stream. */
  private track(b: Bridge, body: unknown): void {
    const m = body as {
      id?: string | number;
      method?: string;
      params?: { _meta?: { progressToken?: string | number } };
    };
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
    if (msg.method === "notifications/progress" && msg.params?.progressToken !== undefined)
      return b.progress.get(msg.params.progressToken);
    // A stdio server cannot say which request a notification or request belongs to: while exactly
    // one request is open it is that one; otherwise the session's GET stream carries it.
    return b.pending.length === 1 ? b.pending[0] : undefined;
  }

  /** Answers every request still waiting on this session with a JSON-RPC error instead of leaving its stream empty. */
  private async failPending(b: Bridge, err: GatehouseError): Promise<void> {
    const ids = b.pending;
    b.pending = [];
    b.progress.clear();
    await Promise.all(
      ids.map((id) =>
        b.http.send(rejectionBody(err, id).body as unknown as JSONRPCMessage, { relatedRequestId: id }).catch((e) =>
          logger.warn("stdio error answer not delivered", {
            event: "agent.stdio_send_failed",
            error: maskLabel((e as Error).message),
          }),
        ),
      ),
    );
  }

  private startIdle(b: Bridge, idleMs: number): void {
    if (b.idle) clearTimeout(b.idle);
    b.idle = setTimeout(() => void this.close(b), idleMs);
    b.idle.unref();
  }

  /** The child ended: requests still waiting for an answer get a JSON-RPC error, then the session closes. */
  private async exited(b: Bridge, server: string): Promise<void> {
    if (b.closed) return;
    if (b.pending.length > 0)
      logger.warn("stdio upstream exited with requests pending", {
        event: "agent.stdio_exit_pending",
        server,
        pending: b.pending.length,
      });
    await this.failPending(
      b,
      new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", `The MCP server ${server} exited before answering`),
    );
    await this.close(b);
  }

  private async close(b: Bridge): Promise<void> {
    if (b.closed) return;
    b.closed = true;
    b.release();
    if (b.idle) clearTimeout(b.idle);
    const id = b.http?.sessionId;
    if (id) this.sessions.delete(id);
    await Promise.allSettled([b.stdio.close(), b.http?.close()]);
  }
}
