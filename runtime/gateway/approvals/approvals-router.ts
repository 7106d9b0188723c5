/**
 * createApprovalsRouter(deps): the express Router the gateway mounts at its root. It serves
 * /api/approvals*, /api/sessions* (bearer auth through deps.authenticate) and the /approvals page
 * (its own OIDC sign-in). Body parsers are attached per route, never globally, so the MCP proxy's
 * streams are left untouched.
 */
import { Router, type NextFunction, type Request, type Response } from "express";
import type { ApprovalsContext, ApprovalsRouterDeps } from "./approvals-context";
import { approvalsApi } from "./approvals-api";
import { approvalsPageRouter } from "./approvals-page";
import { sessionsApi } from "./sessions-api";
import { sendRejection } from "../../http/send-rejection";

export type { ApprovalsRouterDeps } from "./approvals-context";

export function createApprovalsRouter(deps: ApprovalsRouterDeps): Router {
  const publicUrl = new URL(deps.publicUrl).toString().replace(/\/+$/, "");
  const audit = { sink: deps.audit, policyVersion: deps.policyVersion };
  const ctx: ApprovalsContext = {
    deps,
    audit,
    publicUrl,
    transitions: { store: deps.approvals, audit, now: deps.now, notifier: deps.notifier },
    coordinator: deps.coordinator,
  };
  const router = Router();
  router.use(approvalsApi(ctx));
  router.use(sessionsApi(ctx));
  router.use(approvalsPageRouter(ctx));
  // Errors raised before a handler runs (a body parser's: malformed JSON, too large) answer in the
  // API's JSON error shape with a stable code, never with the parser's message (it quotes the body).
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendRejection(res, err));
  return router;
}
