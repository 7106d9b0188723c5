/**
 * The agent's HTTP handler: /mcp/<server> accepts only gateway tokens bound to the request, reaches
 * only servers named in the bundle (and assigned to this agent), injects credentials and speaks
 * to the upstream over Streamable HTTP or stdio.
 *
 * A call to a Streamable HTTP upstream is handled on node:http directly, before Express: the agent
 * only verifies and relays bytes there, and Express's routing, request decoration and the per-call
 * debug line (winston formats a line even when its level is off) were about a sixth of the agent's
 * CPU per call in the issue 15 profile. Every other request — health, stdio upstreams, an unknown
 * server, a malformed path — goes to the Express app, which applies the same checks in the same
 * order (token first, then the bundle).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import express, { type Request, type Response } from "express";
import { GatehouseError } from "../core/errors";
import type { PolicyBundle } from "../core/policy-model/schema";
import { readRawBody } from "../http/read-raw-body";
import { sendMcpRejection, sendRejection } from "../http/send-rejection";
import { logger } from "../core/telemetry/logger";
import type { CredentialProvider } from "./credential-provider";
import { resolveCredentials } from "./credential-injection";
import type { GatewayTokenVerifier } from "./gateway-token-verifier";
import { forwardHttp } from "./http-upstream";
import { StdioSessions } from "./stdio-sessions";
import type { StdioSessionLimits } from "./stdio-limits";

export interface AgentDeps {
  /** The bundle, or a function giving the bundle in force now (reloaded: docs/decisions/0002). */
  readonly bundle: PolicyBundle | (() => PolicyBundle);
  /** This agent's name; servers whose `agent` differs are refused. @default "default" */
  readonly agentName?: string;
  readonly verifier: GatewayTokenVerifier;
  readonly credentials: CredentialProvider;
  /** @default 4 MiB */
  readonly maxBodyBytes?: number;
  /** Caps on stdio sessions (per identity, per agent) and their idle time. @default - stdio-limits.ts */
  readonly stdioLimits?: StdioSessionLimits;
}

/** The agent's request listener, with express's `listen(port, host)` (tests and the process listen on it). */
export type AgentListener = ((req: IncomingMessage, res: ServerResponse) => void) & {
  listen(port: number, host: string): http.Server;
};

/** `/mcp/<server>` with an optional trailing slash and query, as Express's `/mcp/:server` matches it. */
const MCP_PATH = /^\/mcp\/([^/?#]+)\/?(?:\?.*)?$/;

export interface AgentApp {
  readonly app: AgentListener;
  /** Ends every stdio session (process shutdown). */
  close(): Promise<void>;
}

export function createAgentApp(deps: AgentDeps): AgentApp {
  const app = express();
  app.disable("x-powered-by");
  const stdio = new StdioSessions(deps.stdioLimits);
  const agentName = deps.agentName ?? "default";
  const bundleOf =
    typeof deps.bundle === "function"
      ? deps.bundle
      : (
          (b: PolicyBundle) => () =>
            b
        )(deps.bundle);
  // One server map per bundle, rebuilt when a new bundle is in force.
  let indexed: { bundle: PolicyBundle; servers: Map<string, PolicyBundle["servers"][number]> } | null = null;
  const serversOf = () => {
    const bundle = bundleOf();
    if (indexed?.bundle !== bundle) indexed = { bundle, servers: new Map(bundle.servers.map((s) => [s.name, s])) };
    return indexed.servers;
  };

  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.get(
    "/readyz",
    (_req, res) => void res.json({ status: "ready", policyVersion: bundleOf().version, stdioSessions: stdio.size }),
  );

  /** Token, bundle and agent checks shared by both paths: the claims and the server's spec. */
  const admit = async (req: IncomingMessage, server: string, body: Buffer) => {
    const claims = await deps.verifier.verify(req.headers.authorization, {
      server,
      httpMethod: req.method ?? "",
      body,
    });
    const spec = serversOf().get(server);
    if (!spec) throw new GatehouseError("ERR_UNKNOWN_SERVER", `Not found: ${server} is not in the policy bundle`);
    if (spec.agent !== agentName)
      throw new GatehouseError("ERR_FORBIDDEN", `Forbidden: ${server} is served by agent ${spec.agent}`);
    if (logger.isDebugEnabled())
      logger.debug("agent forwarding", {
        event: "agent.forward",
        server,
        method: req.method,
        rpc: claims.rpc,
        correlationId: claims.corr,
      });
    return { claims, spec, creds: await resolveCredentials(spec, deps.credentials) };
  };
  const readBody = (req: IncomingMessage) =>
    req.method === "POST" ? readRawBody(req, deps.maxBodyBytes ?? 4 * 1024 * 1024) : Promise.resolve(Buffer.alloc(0));

  app.all("/mcp/:server", async (req: Request, res: Response) => {
    const server = req.params.server as string;
    try {
      const body = await readBody(req);
      const { claims, spec, creds } = await admit(req, server, body);
      if (spec.transport.type === "http") {
        await forwardHttp(spec.transport.url, req, res, body, creds.headers);
      } else {
        let parsed: unknown;
        if (req.method === "POST") {
          try {
            parsed = JSON.parse(body.toString("utf8"));
          } catch {
            throw new GatehouseError("ERR_BAD_REQUEST", "Parse error", { rpcCode: -32700 });
          }
        }
        await stdio.handle(spec, creds.env, req, res, parsed, claims.sub);
      }
    } catch (e) {
      if (!res.headersSent) sendRejection(res, e);
      else res.destroy();
    }
  });

  /** The Streamable HTTP relay on node:http: same checks, same refusals as the route above. */
  const relay = async (req: IncomingMessage, res: ServerResponse, server: string) => {
    try {
      const body = await readBody(req);
      // The spec checked by admit (the bundle in force now), not the one the request was routed by.
      const { spec, creds } = await admit(req, server, body);
      if (spec.transport.type !== "http")
        throw new GatehouseError(
          "ERR_UPSTREAM_UNAVAILABLE",
          "Bad gateway: the MCP server's transport changed with a policy reload; retry",
        );
      await forwardHttp(spec.transport.url, req, res, body, creds.headers);
    } catch (e) {
      if (!res.headersSent) sendMcpRejection(res, e);
      else res.destroy();
    }
  };
  const listener = ((req: IncomingMessage, res: ServerResponse) => {
    const m =
      req.method === "POST" || req.method === "GET" || req.method === "DELETE" ? MCP_PATH.exec(req.url ?? "") : null;
    const server = m ? decodedSegment(m[1]) : null;
    const spec = server === null ? undefined : serversOf().get(server);
    if (server !== null && spec?.transport.type === "http") return void relay(req, res, server);
    app(req, res);
  }) as AgentListener;
  listener.listen = (port: number, host: string) => http.createServer(listener).listen(port, host);
  return { app: listener, close: () => stdio.closeAll() };
}

/** A path segment decoded as Express decodes `:server`, or null when it is not valid percent-encoding. */
function decodedSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
