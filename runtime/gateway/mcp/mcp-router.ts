/**
 * /mcp/<server>: Host/Origin check → authentication → per-identity rate limit → the server must
 * exist and be reachable for this identity (403 otherwise) → the method's handler.
 */
import { Router, type NextFunction, type Request, type Response } from "express";
import { GatehouseError } from "../../core/errors";
import { sendRejection } from "../send-rejection";
import { identityRateLimit } from "../identity-rate-limit";
import { auditEvent, newCallContext } from "./call-context";
import { handlePost } from "./post-handler";
import { handleStream } from "./stream-handlers";
import type { McpDeps } from "./mcp-deps";
import { gatehouseMetrics } from "../../core/telemetry/metrics";
import { pinPolicy } from "../../core/policy/live-policy";

export function mcpRouter(deps: McpDeps): Router {
  const router = Router();
  const limit = identityRateLimit(deps.config.rateLimitPerMinute);
  // MCP authorization (2025-11-25): an authenticated caller without access gets insufficient_scope.
  const forbiddenChallenge = (server: string): Record<string, string> => {
    const challenge = deps.authenticate.forbiddenChallenge?.(server);
    return challenge ? { "www-authenticate": challenge } : {};
  };

  const reachable = (req: Request, res: Response, next: NextFunction): void => {
    const server = req.params.server as string;
    const spec = deps.policy.server(server);
    if (!spec) return void sendRejection(res, new GatehouseError("ERR_UNKNOWN_SERVER", `Not found: no MCP server named ${server}`));
    const r = deps.policy.reachable(req.auth!, server);
    if (!r.allowed) {
      const err = new GatehouseError("ERR_FORBIDDEN", `Forbidden: your roles do not give access to the MCP server ${server}`);
      const ctx = newCallContext(req, server, spec.agent, deps.policy);
      ctx.method = req.method === "POST" ? null : req.method;
      gatehouseMetrics.denial({ server, code: err.code });
      void deps.audit
        .write(auditEvent(deps, ctx, "http.refused", { outcome: "denied", code: err.code, reason: err.message }))
        .catch(() => undefined)
        .finally(() => sendRejection(res, err, { headers: forbiddenChallenge(server) }));
      return;
    }
    next();
  };
  // Failed authentication is recorded by the app's RefusalAudit (aggregated per client address).
  const authenticate = deps.authenticate;
  const chain = [authenticate, limit, reachable];
  // The server may have left the bundle between the reachable check and here (a reload): refuse then.
  const ctxOf = (req: Request) => {
    const policy = pinPolicy(deps.policy);
    const spec = policy.server(req.params.server as string);
    if (!spec) throw new GatehouseError("ERR_UNKNOWN_SERVER", `Not found: no MCP server named ${req.params.server as string}`);
    return newCallContext(req, req.params.server as string, spec.agent, policy);
  };
  const run = (res: Response, handle: () => Promise<void>) => {
    try {
      void handle();
    } catch (e) {
      sendRejection(res, e);
    }
  };

  router.post("/mcp/:server", ...chain, (req, res) => run(res, () => handlePost(deps, ctxOf(req), req, res)));
  router.get("/mcp/:server", ...chain, (req, res) => run(res, () => handleStream(deps, ctxOf(req), req, res, "GET")));
  router.delete("/mcp/:server", ...chain, (req, res) => run(res, () => handleStream(deps, ctxOf(req), req, res, "DELETE")));
  router.all("/mcp/:server", (_req, res) => {
    res.setHeader("allow", "GET, POST, DELETE");
    sendRejection(res, new GatehouseError("ERR_METHOD_NOT_ALLOWED", "Method Not Allowed"));
  });
  return router;
}
