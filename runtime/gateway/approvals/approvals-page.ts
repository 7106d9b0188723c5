/**
 * The approver web page at /approvals: its security headers, OIDC sign-in (authorization code +
 * PKCE) that returns to the page the approver started from (a request's deep link survives
 * sign-in), and sign-out; the signed-in views are in approval-page-views.ts. CSRF: a synchronizer
 * token kept in the signed session cookie must come back in every form, and a cross-origin Origin
 * header is refused. Decisions go through the same core function as the REST API.
 */
import { randomBytes } from "node:crypto";
import express, { Router, type Request, type Response } from "express";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { logger } from "../../core/telemetry/logger";
import { gatehouseMetrics } from "../../core/telemetry/metrics";
import type { ApprovalsContext } from "./approvals-context";
import { approvalPageViews, pageError } from "./approval-page-views";
import { safeReturnPath } from "./return-path";
import { clearCookie, readCookie, setCookie } from "./cookies";
import { assertFormFromPage, readPageSession, sessionClaims, SESSION_COOKIE, type PageSession } from "./page-session";
import { OidcClient } from "./oidc-client";
import { identityFromClaims } from "../auth/identity-from-claims";
import { SignedState } from "./signed-state";
import { approvalPageEdit } from "./page-edit";

export { SESSION_COOKIE } from "./page-session";
export const LOGIN_COOKIE = "gh_approvals_login";

export function approvalsPageRouter(ctx: ApprovalsContext): Router {
  const r = Router();
  const signed = new SignedState(ctx.deps.signer);
  const oidc = new OidcClient({
    ...ctx.deps.oidc,
    redirectUri: ctx.deps.oidc.redirectUri ?? `${ctx.publicUrl}/approvals/callback`,
  });
  const cookie = { publicUrl: ctx.publicUrl, path: "/" };
  const form = express.urlencoded({ extended: false, limit: "8kb" });

  const session = (req: Request): Promise<PageSession | null> => readPageSession(signed, req);
  const checkForm = (req: Request, who: { csrf: string }): void => assertFormFromPage(req, who, ctx.publicUrl);

  r.use("/approvals", (_req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.set({
      "Content-Security-Policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "X-Frame-Options": "DENY",
    });
    next();
  });

  const startLogin = async (res: Response, hint: string | undefined, returnTo: string): Promise<void> => {
    const start = await oidc.start(hint);
    // The page to return to rides in the signed state: a deep link survives sign-in.
    const state = await signed.sign(
      "gatehouse-approvals-login",
      { state: start.state, nonce: start.nonce, verifier: start.verifier, return: returnTo },
      600,
    );
    setCookie(res, LOGIN_COOKIE, state, { ...cookie, maxAge: 600 });
    res.redirect(302, start.url);
  };

  r.get("/approvals/login", async (req, res) => {
    try {
      const hint =
        typeof req.query.login_hint === "string" && /^[\w.@-]{1,128}$/.test(req.query.login_hint)
          ? req.query.login_hint
          : undefined;
      await startLogin(res, hint, safeReturnPath(req.query.return));
    } catch (e) {
      pageError(res, e);
    }
  });

  r.get("/approvals/callback", async (req, res) => {
    try {
      const pending = await signed.verify("gatehouse-approvals-login", readCookie(req, LOGIN_COOKIE));
      clearCookie(res, LOGIN_COOKIE, cookie);
      const code = typeof req.query.code === "string" ? req.query.code : "";
      if (!pending || !code || req.query.state !== pending.state)
        throw new GatehouseError("ERR_AUTH_INVALID", "sign-in state missing or mismatched");
      const claims = await oidc.finish(code, { nonce: String(pending.nonce), verifier: String(pending.verifier) });
      // The provider's claim mapping, as for its bearer tokens; approvers are people, never apps.
      const who = identityFromClaims(claims, oidc.provider);
      if (who.kind === "app")
        throw new GatehouseError("ERR_AUTH_INVALID", "a machine identity cannot sign in to the approval page");
      const seconds = Math.min(ctx.deps.pageSessionSeconds ?? 900, (claims.exp ?? 0) - Math.floor(Date.now() / 1000));
      if (seconds <= 0) throw new GatehouseError("ERR_AUTH_EXPIRED", "the id_token has expired");
      const mapped = {
        preferred_username: who.username ?? undefined,
        roles: who.roles,
        groups: who.groups,
        ...(who.groupsOverage ? { _claim_names: { groups: "src1" } } : {}),
      };
      const value = await signed.sign(
        "gatehouse-approvals-session",
        sessionClaims(mapped, who.oid, who.tenantId),
        seconds,
      );
      setCookie(res, SESSION_COOKIE, value, { ...cookie, maxAge: seconds });
      // Back where the approver started: a deep link to a request survives sign-in.
      res.redirect(303, safeReturnPath(pending.return));
    } catch (e) {
      const code = isGatehouseError(e) ? e.code : "ERR_INTERNAL";
      logger.warn("approval page sign-in failed", { code });
      // A refused sign-in is a decision: recorded (no claims of the refused token are kept), and a
      // record that did not persist is logged and counted, never dropped silently.
      await ctx.deps.audit
        .write({
          kind: "http.refused",
          policyVersion: ctx.deps.policyVersion?.() ?? null,
          actor: { oid: null, tenantId: null, username: null, via: "none", clientIp: req.ip ?? null },
          action: { method: "GET /approvals/callback" },
          decision: { outcome: "denied", code, reason: "approval page sign-in refused" },
        })
        .catch((err: unknown) => {
          gatehouseMetrics.auditWriteFailure(1, { chainId: "approvals-page", reason: "sign-in refusal" });
          logger.error("audit write of a refused sign-in failed", {
            event: "audit.write_failed",
            code: isGatehouseError(err) ? err.code : "ERR_INTERNAL",
          });
        });
      res.redirect(303, "/approvals?signin=failed");
    }
  });

  r.post("/approvals/logout", form, async (req, res) => {
    const who = await session(req);
    try {
      if (who) checkForm(req, who);
    } catch {
      return void res.redirect(303, "/approvals?notice=ERR_FORBIDDEN");
    }
    clearCookie(res, SESSION_COOKIE, cookie);
    res.redirect(303, "/approvals");
  });

  r.use(approvalPageEdit(ctx, signed));
  r.use(approvalPageViews(ctx, signed, cookie));
  return r;
}
