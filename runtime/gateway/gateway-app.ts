/**
 * The gateway's Express app. No body parser is installed globally: the MCP routes read raw bytes
 * (routers mounted after them may install their own parsers on their own paths).
 *
 * The edge, in order: health probes; the unauthenticated-refusal recorder; the per-address rate
 * limit (before authentication); the body deadline; Host/Origin checks; then the routes.
 */
import express, { type Express } from "express";
import { protectedResourceRouter } from "./auth/protected-resource-router";
import type { GatewayDeps } from "./gateway-deps";
import { healthRouter } from "./health-router";
import { hostOriginGuard } from "./host-origin-guard";
import { AgentClient } from "./mcp/agent-client";
import { mcpRouter } from "./mcp/mcp-router";
import { sendRejection } from "../http/send-rejection";
import { addressRateLimit } from "./address-rate-limit";
import { bodyDeadline } from "./body-deadline";
import { fromBodyParserError } from "../http/body-parser-error";
import { RefusalAudit } from "./refusal-audit";
import { frontDoorGuard } from "./front-door-guard";

/** The recorder of unauthenticated refusals of an app (the process flushes it at shutdown; tests read it). */
export function refusalAuditOf(app: Express): RefusalAudit {
  return app.locals.refusalAudit as RefusalAudit;
}

export function createGatewayApp(deps: GatewayDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-For is believed only from the configured proxies (none by default): otherwise any
  // client could choose the clientIp of its audit records and dodge the per-address limit.
  app.set("trust proxy", deps.config.trustedProxies.length > 0 ? [...deps.config.trustedProxies] : false);
  const agentClient = new AgentClient(deps.config.agentUrl, deps.signer);
  const refusals = new RefusalAudit({
    audit: deps.audit,
    policyVersion: () => deps.policy.bundle.version,
    knownServer: (name) => !!deps.policy.server(name),
    windowMs: deps.config.refusalAuditWindowMs,
  });
  app.locals.refusalAudit = refusals;

  app.use(
    healthRouter({
      policy: async () => !!deps.policy.bundle.version,
      // Not ready while the trail cannot take a record: every call would be refused (fail closed).
      audit: async () => (deps.audit.ready ? deps.audit.ready() : true),
      signer: async () => !!(await deps.signer.publicJwk()).kty,
      identityProvider: async () => (deps.authenticate.ready ? !!(await deps.authenticate.ready()) : true),
      ...(deps.readiness ?? {}),
    }),
  );
  app.use(refusals.middleware);
  app.use(frontDoorGuard({ frontDoorId: deps.config.frontDoorId }));
  app.use(addressRateLimit(deps.config.addressRateLimitPerMinute));
  app.use(bodyDeadline(deps.config.bodyTimeoutMs));
  app.use(hostOriginGuard(deps.config));
  app.use(
    protectedResourceRouter({
      publicUrl: deps.config.publicUrl,
      authorizationServers:
        deps.authorizationServers ??
        (async () => (deps.authenticate.ready ? [(await deps.authenticate.ready()).issuer] : [])),
      scopes: deps.config.scopes,
      serverExists: (name) => !!deps.policy.server(name),
    }),
  );
  app.use(
    mcpRouter({
      policy: deps.policy,
      masker: deps.masker,
      audit: deps.audit,
      sessions: deps.sessions,
      tools: deps.tools,
      agentClient,
      authenticate: deps.authenticate,
      approvals: deps.approvals,
      elicitations: deps.elicitations,
      rateLimitPerMinute: deps.config.rateLimitPerMinute,
      maxBodyBytes: deps.config.maxBodyBytes,
      sseKeepAliveMs: deps.config.sseKeepAliveMs,
    }),
  );
  for (const r of deps.routers ?? []) app.use(r);

  app.use((_req: express.Request, res: express.Response) => void res.status(404).json({ error: "not found" }));
  // A body parser's error quotes the body: mapped to a stable code before anything logs it.
  app.use(
    (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      void sendRejection(res, fromBodyParserError(err) ?? err),
  );
  return app;
}
