/**
 * The agent's Express app: /mcp/<server> accepts only gateway tokens bound to the request, reaches
 * only servers named in the bundle (and assigned to this agent), injects credentials and speaks
 * to the upstream over Streamable HTTP or stdio.
 */
import express, { type Express, type Request, type Response } from "express";
import { GatehouseError } from "../core/errors";
import type { PolicyBundle } from "../core/policy-model/schema";
import { readRawBody } from "../http/read-raw-body";
import { sendRejection } from "../http/send-rejection";
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

export interface AgentApp {
  readonly app: Express;
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

  app.all("/mcp/:server", async (req: Request, res: Response) => {
    const server = req.params.server as string;
    try {
      const body =
        req.method === "POST" ? await readRawBody(req, deps.maxBodyBytes ?? 4 * 1024 * 1024) : Buffer.alloc(0);
      const claims = await deps.verifier.verify(req.headers.authorization, { server, httpMethod: req.method, body });
      const spec = serversOf().get(server);
      if (!spec) throw new GatehouseError("ERR_UNKNOWN_SERVER", `Not found: ${server} is not in the policy bundle`);
      if (spec.agent !== agentName)
        throw new GatehouseError("ERR_FORBIDDEN", `Forbidden: ${server} is served by agent ${spec.agent}`);
      const creds = await resolveCredentials(spec, deps.credentials);
      logger.debug("agent forwarding", {
        event: "agent.forward",
        server,
        method: req.method,
        rpc: claims.rpc,
        correlationId: claims.corr,
      });
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
  return { app, close: () => stdio.closeAll() };
}
