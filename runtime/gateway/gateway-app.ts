/**
 * The gateway's Express app. No body parser is installed globally: the MCP routes read raw bytes
 * (routers mounted after them may install their own parsers on their own paths).
 */
import express, { type Express } from "express";
import { protectedResourceRouter } from "./auth/protected-resource-router";
import type { GatewayDeps } from "./gateway-deps";
import { healthRouter } from "./health-router";
import { hostOriginGuard } from "./host-origin-guard";
import { AgentClient } from "./mcp/agent-client";
import { mcpRouter } from "./mcp/mcp-router";
import { sendRejection } from "./send-rejection";

export function createGatewayApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1); // Container Apps ingress sets X-Forwarded-For; one hop.
  const agentClient = new AgentClient(deps.config.agentUrl, deps.signer);

  app.use(
    healthRouter({
      policy: async () => !!deps.policy.bundle.version,
      // The sink is opened (its chain tail read) before the app exists; a closed sink refuses writes.
      audit: async () => typeof deps.audit.write === "function",
      signer: async () => !!(await deps.signer.publicJwk()).kty,
      identityProvider: async () => (deps.authenticate.ready ? !!(await deps.authenticate.ready()) : true),
      ...(deps.readiness ?? {}),
    }),
  );
  app.use(hostOriginGuard(deps.config));
  app.use(
    protectedResourceRouter({
      publicUrl: deps.config.publicUrl,
      authorizationServers: deps.authorizationServers ?? (async () => (deps.authenticate.ready ? [(await deps.authenticate.ready()).issuer] : [])),
      scopes: deps.config.scopes ?? deps.config.audience.map((a) => `${a}/.default`),
      serverExists: (name) => !!deps.policy.server(name),
    }),
  );
  app.use(mcpRouter({ ...deps, agentClient }));
  for (const r of deps.routers ?? []) app.use(r);

  app.use((_req: express.Request, res: express.Response) => void res.status(404).json({ error: "not found" }));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void sendRejection(res, err));
  return app;
}
