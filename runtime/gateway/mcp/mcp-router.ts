/**
 * /mcp/<server>: Host/Origin check → authentication → per-identity rate limit → the server must
 * exist and be reachable for this identity (403 otherwise) → the method's handler, given the call
 * (its context with the pinned policy and masker, its recorder, its response) and what it needs.
 */
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import type { ApprovalCoordinator } from "../../core/approvals/approval-coordinator";
import type { ToolCatalog } from "../../core/approvals/tool-catalog";
import type { AuditSink } from "../../core/audit/audit-sink";
import { GatehouseError } from "../../core/errors";
import type { Masker } from "../../core/masking/masker";
import type { SessionSealer } from "../../core/mcp/session-envelope";
import { pinPolicy, type PolicyView } from "../../core/policy/live-policy";
import { identityRateLimit } from "../identity-rate-limit";
import { sendRejection } from "../../http/send-rejection";
import type { AgentClient } from "./agent-client";
import { newCallContext, type Call } from "./call-context";
import { CallRecorder } from "./call-recorder";
import { CallResponse } from "./call-response";
import type { ElicitationStore } from "../../core/approvals/elicitation-store";
import { handlePost } from "./post-handler";
import { handleStream } from "./stream-handlers";

export interface McpRouterDeps {
  readonly policy: PolicyView;
  readonly masker: Masker;
  readonly audit: AuditSink;
  readonly sessions: SessionSealer;
  readonly tools?: ToolCatalog;
  readonly agentClient: AgentClient;
  /** Sets req.auth or answers 401 (failed authentication is recorded by the app's RefusalAudit). */
  readonly authenticate: RequestHandler & { forbiddenChallenge?: (server: string) => string };
  readonly approvals: Pick<ApprovalCoordinator, "requestAndWait"> | null | undefined;
  /** Where the gateway's own questions to requesters (reason, confirmation) wait for answers. @default - none asked */
  readonly elicitations?: ElicitationStore | null;
  readonly rateLimitPerMinute: number;
  readonly maxBodyBytes: number;
  readonly sseKeepAliveMs: number;
}

export function mcpRouter(deps: McpRouterDeps): Router {
  const router = Router();
  const limit = identityRateLimit(deps.rateLimitPerMinute);
  const forwardDeps = {
    agentClient: deps.agentClient,
    sessions: deps.sessions,
    tools: deps.tools,
    keepAliveMs: deps.sseKeepAliveMs,
  };
  const postDeps = {
    ...forwardDeps,
    maxBodyBytes: deps.maxBodyBytes,
    approvals: deps.approvals,
    elicitations: deps.elicitations,
  };

  // The policy engine and masker in force now, pinned for the whole call; its recorder and response.
  const callOf = (
    req: Request,
    res: Response,
    server: string,
    agent: string,
    policy: PolicyView = deps.policy,
  ): Call => {
    const ctx = newCallContext(req, server, agent, policy, deps.masker);
    return { ctx, recorder: new CallRecorder(deps.audit, ctx), response: new CallResponse(res) };
  };
  // MCP authorization (2025-11-25): an authenticated caller without access gets insufficient_scope.
  const forbiddenChallenge = (server: string): Record<string, string> => {
    const challenge = deps.authenticate.forbiddenChallenge?.(server);
    return challenge ? { "www-authenticate": challenge } : {};
  };

  const reachable = (req: Request, res: Response, next: NextFunction): void => {
    const server = req.params.server as string;
    const spec = deps.policy.server(server);
    if (!spec)
      return void sendRejection(
        res,
        new GatehouseError("ERR_UNKNOWN_SERVER", `Not found: no MCP server named ${server}`),
      );
    if (deps.policy.reachable(req.auth!, server).allowed) return next();
    const err = new GatehouseError(
      "ERR_FORBIDDEN",
      `Forbidden: your roles do not give access to the MCP server ${server}`,
    );
    const call = callOf(req, res, server, spec.agent);
    call.ctx.method = req.method === "POST" ? null : req.method;
    void call.recorder.httpRefused(err).finally(() => sendRejection(res, err, { headers: forbiddenChallenge(server) }));
  };
  const chain = [deps.authenticate, limit, reachable];
  // The server may have left the bundle between the reachable check and here (a reload): refuse then.
  const run = (req: Request, res: Response, handle: (call: Call) => Promise<void>) => {
    try {
      const server = req.params.server as string;
      const policy = pinPolicy(deps.policy);
      const spec = policy.server(server);
      if (!spec) throw new GatehouseError("ERR_UNKNOWN_SERVER", `Not found: no MCP server named ${server}`);
      void handle(callOf(req, res, server, spec.agent, policy));
    } catch (e) {
      sendRejection(res, e);
    }
  };

  router.post("/mcp/:server", ...chain, (req, res) => run(req, res, (call) => handlePost(call, postDeps, req)));
  router.get("/mcp/:server", ...chain, (req, res) =>
    run(req, res, (call) => handleStream(call, forwardDeps, req, "GET")),
  );
  router.delete("/mcp/:server", ...chain, (req, res) =>
    run(req, res, (call) => handleStream(call, forwardDeps, req, "DELETE")),
  );
  router.all("/mcp/:server", (_req, res) => {
    res.setHeader("allow", "GET, POST, DELETE");
    sendRejection(res, new GatehouseError("ERR_METHOD_NOT_ALLOWED", "Method Not Allowed"));
  });
  return router;
}
