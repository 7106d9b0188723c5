/**
 * The approver web page at /approvals: OIDC sign-in (authorization code + PKCE), pending
 * requests with masked arguments, approve/reject forms with a reason. CSRF: a synchronizer token
 * kept in the signed session cookie must come back in every form, and a cross-origin Origin header
 * is refused. Decisions go through the same core function as the REST API.
 */
import { createHash, randomBytes } from "node:crypto";
import express, { Router, type Request, type Response } from "express";
import { decideApproval, expireApproval } from "../../core/approvals/approval-decisions";
import { holdsApproverPrincipal, isPastExpiry } from "../../core/approvals/approval-rules";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { logger } from "../../core/telemetry/logger";
import { gatehouseMetrics } from "../../core/telemetry/metrics";
import { canSee, type ApprovalsContext } from "./approvals-context";
import { clearCookie, readCookie, setCookie } from "./cookies";
import { assertFormFromPage, readPageSession, sessionClaims, SESSION_COOKIE, type PageSession } from "./page-session";
import { OidcClient } from "./oidc-client";
import { identityFromClaims } from "../auth/identity-from-claims";
import { approvalsPage, signInPage, type PageModel } from "./page-html";
import { SignedState } from "./signed-state";

export { SESSION_COOKIE } from "./page-session";
export const LOGIN_COOKIE = "gh_approvals_login";

const NOTICES: Record<string, string> = {
  approved: "Your approval was recorded.",
  rejected: "The request was rejected.",
  ERR_SELF_APPROVAL: "You cannot decide your own request.",
  ERR_NOT_APPROVER: "You do not hold a role or group this rule requires.",
  ERR_APPROVAL_CONFLICT: "This request was already decided, or you already approved it.",
  ERR_APPROVAL_EXPIRED: "This request has expired.",
  ERR_APPROVAL_NOT_FOUND: "No such request.",
  ERR_BAD_REQUEST: "A reason is required to reject a request.",
  ERR_FORBIDDEN: "The form expired or did not come from this page. Please try again.",
};

export function approvalsPageRouter(ctx: ApprovalsContext): Router {
  const r = Router();
  const signed = new SignedState(ctx.deps.signer);
  const oidc = new OidcClient({ ...ctx.deps.oidc, redirectUri: ctx.deps.oidc.redirectUri ?? `${ctx.publicUrl}/approvals/callback` });
  const cookie = { publicUrl: ctx.publicUrl, path: "/" };
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const now = (): Date => (ctx.deps.now ?? (() => new Date()))();

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

  const model = async (who: PageSession, nonce: string, notice: PageModel["notice"]): Promise<PageModel> => {
    const rows = await ctx.deps.approvals.list({ pendingOrSince: new Date(now().getTime() - 24 * 3600_000) });
    const pending: PageModel["pending"] = [];
    const recent = [];
    for (const row of rows) {
      let rec = row.record;
      if (isPastExpiry(rec, now())) rec = await expireApproval(ctx.transitions, row).catch(() => rec);
      if (!canSee(rec, who)) continue;
      if (rec.status === "pending") {
        const self = rec.requester.oid === who.oid;
        const done = rec.approvals.some((a) => a.oid === who.oid);
        const why = self ? "This is your own request: another approver must decide it." : done ? "You approved this request; it needs another approver." : !holdsApproverPrincipal(rec, who) ? "You do not hold a role or group this rule requires." : null;
        pending.push({ record: rec, canDecide: why === null, why });
      } else if (rec.decidedAt && now().getTime() - Date.parse(rec.decidedAt) < 24 * 3600_000) {
        recent.push(rec);
      }
    }
    recent.sort((a, b) => String(b.decidedAt).localeCompare(String(a.decidedAt)));
    const version = createHash("sha256").update(pending.map((p) => `${p.record.id}:${p.record.approvals.length}`).join(",")).digest("hex").slice(0, 16);
    return { nonce, user: { oid: who.oid, username: who.username, csrf: who.csrf }, pending, recent: recent.slice(0, 20), version, notice };
  };

  r.get("/approvals", async (req, res) => {
    try {
      const who = await session(req);
      if (!who) return void res.type("html").send(signInPage(res.locals.cspNonce, req.query.signin === "failed" ? "Sign-in failed. Please try again." : null));
      const key = String(req.query.notice ?? "");
      const notice = NOTICES[key] ? { kind: key === "approved" || key === "rejected" ? ("ok" as const) : ("error" as const), text: NOTICES[key] } : null;
      res.type("html").send(approvalsPage(await model(who, res.locals.cspNonce, notice)));
    } catch (e) {
      pageError(res, e);
    }
  });

  r.get("/approvals/state.json", async (req, res) => {
    try {
      const who = await session(req);
      if (!who) return void res.status(401).json({ error: { code: "ERR_AUTH_MISSING", message: "sign in first" } });
      res.json({ version: (await model(who, "", null)).version });
    } catch (e) {
      pageError(res, e);
    }
  });

  r.get("/approvals/login", async (req, res) => {
    try {
      const hint = typeof req.query.login_hint === "string" && /^[\w.@-]{1,128}$/.test(req.query.login_hint) ? req.query.login_hint : undefined;
      const start = await oidc.start(hint);
      const state = await signed.sign("gatehouse-approvals-login", { state: start.state, nonce: start.nonce, verifier: start.verifier }, 600);
      setCookie(res, LOGIN_COOKIE, state, { ...cookie, maxAge: 600 });
      res.redirect(302, start.url);
    } catch (e) {
      pageError(res, e);
    }
  });

  r.get("/approvals/callback", async (req, res) => {
    try {
      const pending = await signed.verify("gatehouse-approvals-login", readCookie(req, LOGIN_COOKIE));
      clearCookie(res, LOGIN_COOKIE, cookie);
      const code = typeof req.query.code === "string" ? req.query.code : "";
      if (!pending || !code || req.query.state !== pending.state) throw new GatehouseError("ERR_AUTH_INVALID", "sign-in state missing or mismatched");
      const claims = await oidc.finish(code, { nonce: String(pending.nonce), verifier: String(pending.verifier) });
      // The provider's claim mapping, as for its bearer tokens; approvers are people, never apps.
      const who = identityFromClaims(claims, oidc.provider);
      if (who.kind === "app") throw new GatehouseError("ERR_AUTH_INVALID", "a machine identity cannot sign in to the approval page");
      const seconds = Math.min(ctx.deps.pageSessionSeconds ?? 900, (claims.exp ?? 0) - Math.floor(Date.now() / 1000));
      if (seconds <= 0) throw new GatehouseError("ERR_AUTH_EXPIRED", "the id_token has expired");
      const mapped = { preferred_username: who.username ?? undefined, roles: who.roles, groups: who.groups, ...(who.groupsOverage ? { _claim_names: { groups: "src1" } } : {}) };
      const value = await signed.sign("gatehouse-approvals-session", sessionClaims(mapped, who.oid, who.tenantId), seconds);
      setCookie(res, SESSION_COOKIE, value, { ...cookie, maxAge: seconds });
      res.redirect(303, "/approvals");
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
          logger.error("audit write of a refused sign-in failed", { event: "audit.write_failed", code: isGatehouseError(err) ? err.code : "ERR_INTERNAL" });
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

  r.post("/approvals/:id/decide", form, async (req, res) => {
    const who = await session(req);
    if (!who) return void res.redirect(303, "/approvals");
    const id = String(req.params.id);
    try {
      checkForm(req, who);
      const body = req.body as Record<string, unknown>;
      const action = body.action === "approve" ? "approve" : body.action === "reject" ? "reject" : null;
      if (!action) throw new GatehouseError("ERR_BAD_REQUEST", "choose approve or reject");
      const reason = typeof body.reason === "string" ? body.reason : null;
      const { csrf: _csrf, ...identity } = who;
      await decideApproval(ctx.transitions, { id, action, who: identity, reason });
      res.redirect(303, `/approvals?notice=${action === "approve" ? "approved" : "rejected"}`);
    } catch (e) {
      const code = isGatehouseError(e) ? e.code : "ERR_INTERNAL";
      if (code === "ERR_AUDIT_UNAVAILABLE" || code === "ERR_INTERNAL") return pageError(res, e);
      res.redirect(303, `/approvals?notice=${encodeURIComponent(code)}#approval-${encodeURIComponent(id)}`);
    }
  });
  return r;
}

function pageError(res: Response, e: unknown): void {
  const code = isGatehouseError(e) ? e.code : "ERR_INTERNAL";
  if (code === "ERR_INTERNAL") logger.error("approval page error", { error: e instanceof Error ? e.message : String(e) });
  const status = code === "ERR_AUDIT_UNAVAILABLE" ? 503 : code.startsWith("ERR_UPSTREAM") ? 502 : 500;
  res.status(status).type("text").send(`The approvals page could not be shown (${code}). Try again shortly.`);
}
