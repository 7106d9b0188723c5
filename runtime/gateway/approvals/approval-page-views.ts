/**
 * The signed-in views of the approval page: the waiting list (/approvals), a request's detail page
 * (/approvals/<id>), the history (/approvals/history) and the decision form's POST. A decision
 * refused by a rule re-renders the request with the error at its field and the typed reason kept;
 * a decision without a valid session says it was not recorded and keeps the reason through
 * sign-in. Decisions go through the same core function as the REST API.
 */
import { createHash } from "node:crypto";
import express, { Router, type Request, type Response } from "express";
import { decideApproval, expireApproval } from "../../core/approvals/approval-decisions";
import { HistoryFilterSchema, matchesHistory } from "../../core/approvals/approval-history";
import type { ApprovalRecord } from "../../core/approvals/approval-record";
import { holdsApproverPrincipal, isPastExpiry } from "../../core/approvals/approval-rules";
import { GatehouseError, isGatehouseError } from "../../core/errors";
import { logger } from "../../core/telemetry/logger";
import { canSee, isAuditor, type ApprovalsContext } from "./approvals-context";
import { clearCookie, readCookie, setCookie } from "./cookies";
import type { CardModel } from "./page-card-html";
import { detailPage, lostSessionPage } from "./page-detail-html";
import { approvalsPage, signInPage, type PageModel } from "./page-html";
import { historyPage } from "./page-history-html";
import { assertFormFromPage, readPageSession, type PageSession } from "./page-session";
import { isApprovalId } from "./return-path";
import { EDIT_ERRORS } from "./page-edit-html";
import type { SignedState } from "./signed-state";

export const DRAFT_COOKIE = "gh_approvals_draft";

const NOTICES: Record<string, string> = {
  approved: "Your approval was recorded.",
  rejected: "The request was rejected.",
  ERR_FORBIDDEN: "The form expired or did not come from this page. Please try again.",
};

/** What a refused decision says, and at which field. */
const FIELD_ERRORS: Record<string, { field: "reason" | "confirm" | "form"; text: string }> = {
  ERR_BAD_REQUEST: { field: "reason", text: "Write a reason to reject this request." },
  ERR_CONFIRMATION_REQUIRED: {
    field: "confirm",
    text: "Tick this box to confirm you approve a call that cannot be undone.",
  },
  ERR_SELF_APPROVAL: { field: "form", text: "You cannot decide your own request." },
  ERR_NOT_APPROVER: { field: "form", text: "You do not hold a role or group this rule requires." },
  ERR_APPROVAL_TOO_LARGE: {
    field: "form",
    text: "This request cannot be approved: its arguments were too large to keep for review.",
  },
  ERR_APPROVAL_EXPIRED: { field: "form", text: "This request expired before your decision: nothing was recorded." },
  ERR_APPROVAL_CONFLICT: {
    field: "form",
    text: "Your decision was not recorded: this request was decided elsewhere, edited since you reviewed it, or you already approved it (see below).",
  },
};

export function approvalPageViews(
  ctx: ApprovalsContext,
  signed: SignedState,
  cookie: { publicUrl: string; path: string },
): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const now = (): Date => (ctx.deps.now ?? (() => new Date()))();
  const session = (req: Request): Promise<PageSession | null> => readPageSession(signed, req);
  const fresh = async (rec: ApprovalRecord, etag: string): Promise<ApprovalRecord> => {
    if (!isPastExpiry(rec, now())) return rec;
    try {
      return await expireApproval(ctx.transitions, { record: rec, etag });
    } catch (e) {
      // Shown as it is stored; the expiry is recorded by the next reader (or the waiting replica).
      logger.warn("approval expiry could not be recorded while rendering the page", {
        approvalId: rec.id,
        code: isGatehouseError(e) ? e.code : "ERR_INTERNAL",
      });
      return rec;
    }
  };
  const cardOf = (rec: ApprovalRecord, who: PageSession, extra: Partial<CardModel> = {}): CardModel => {
    const self = rec.requester.oid === who.oid;
    const done = rec.approvals.some((a) => a.oid === who.oid);
    const approver = holdsApproverPrincipal(rec, who);
    const why = self
      ? "This is your own request: another approver must decide it."
      : done
        ? "You approved this request; it needs another approver."
        : !approver
          ? isAuditor(who)
            ? "Auditors read requests; they never decide them."
            : "You do not hold a role or group this rule requires."
          : null;
    return { record: rec, canDecide: why === null, why, ...extra };
  };

  const model = async (who: PageSession, nonce: string, notice: PageModel["notice"]): Promise<PageModel> => {
    const rows = await ctx.deps.approvals.list({ pendingOrSince: new Date(now().getTime() - 24 * 3600_000) });
    const pending: CardModel[] = [];
    const recent = [];
    for (const row of rows) {
      const rec = await fresh(row.record, row.etag);
      if (!canSee(rec, who)) continue;
      if (rec.status === "pending") pending.push(cardOf(rec, who));
      else if (rec.decidedAt && now().getTime() - Date.parse(rec.decidedAt) < 24 * 3600_000) recent.push(rec);
    }
    recent.sort((a, b) => String(b.decidedAt).localeCompare(String(a.decidedAt)));
    const version = createHash("sha256")
      .update(pending.map((p) => `${p.record.id}:${p.record.approvals.length}`).join(","))
      .digest("hex")
      .slice(0, 16);
    return {
      nonce,
      user: { oid: who.oid, username: who.username, csrf: who.csrf },
      pending,
      recent: recent.slice(0, 20),
      version,
      notice,
      now: now(),
    };
  };

  /** The record if this person may see it; otherwise not found (ids of others' requests are not confirmed). */
  const visible = async (id: string, who: PageSession): Promise<ApprovalRecord> => {
    const found = isApprovalId(id) ? await ctx.deps.approvals.get(id) : null;
    if (!found || !canSee(found.record, who))
      throw new GatehouseError("ERR_APPROVAL_NOT_FOUND", "no such approval", { approvalId: id });
    return fresh(found.record, found.etag);
  };
  const versionOf = (rec: ApprovalRecord): string => `${rec.status}:${rec.approvals.length}`;
  const renderDetail = (
    res: Response,
    who: PageSession,
    c: CardModel,
    notice: PageModel["notice"],
    status = 200,
  ): void =>
    void res
      .status(status)
      .type("html")
      .send(
        detailPage({
          nonce: res.locals.cspNonce,
          user: { oid: who.oid, username: who.username, csrf: who.csrf },
          card: c,
          notice,
          version: versionOf(c.record),
          now: now(),
        }),
      );

  r.get("/approvals", async (req, res) => {
    try {
      const who = await session(req);
      if (!who)
        return void res
          .type("html")
          .send(
            signInPage(res.locals.cspNonce, req.query.signin === "failed" ? "Sign-in failed. Please try again." : null),
          );
      const key = String(req.query.notice ?? "");
      const notice = NOTICES[key]
        ? { kind: key === "approved" || key === "rejected" ? ("ok" as const) : ("error" as const), text: NOTICES[key] }
        : null;
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

  r.get("/approvals/history", async (req, res) => {
    try {
      const who = await session(req);
      if (!who) return void res.type("html").send(signInPage(res.locals.cspNonce, null, req.originalUrl));
      const raw = Object.fromEntries(
        ["status", "requester", "server", "tool", "from", "to"].map((k) => [
          k,
          typeof req.query[k] === "string" ? (req.query[k] as string) : "",
        ]),
      );
      const parsed = HistoryFilterSchema.safeParse(raw);
      const filter = parsed.success ? parsed.data : HistoryFilterSchema.parse({ status: raw.status });
      const rows = await ctx.deps.approvals.list(
        filter.status === "all" || filter.status === "expired" ? { limit: 500 } : { status: filter.status, limit: 500 },
      );
      const out: ApprovalRecord[] = [];
      for (const row of rows) {
        const rec = await fresh(row.record, row.etag);
        if (canSee(rec, who) && matchesHistory(rec, filter)) out.push(rec);
      }
      out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const error = parsed.success
        ? null
        : "From and To take a date (2026-11-28) or an ISO timestamp; the date filter was not applied.";
      res
        .status(parsed.success ? 200 : 400)
        .type("html")
        .send(
          historyPage({
            nonce: res.locals.cspNonce,
            user: { oid: who.oid, username: who.username, csrf: who.csrf },
            rows: out,
            filter: raw,
            error,
            now: now(),
            limited: rows.length >= 500,
          }),
        );
    } catch (e) {
      pageError(res, e);
    }
  });

  r.get("/approvals/:id/state.json", async (req, res) => {
    try {
      const who = await session(req);
      if (!who) return void res.status(401).json({ error: { code: "ERR_AUTH_MISSING", message: "sign in first" } });
      res.json({ version: versionOf(await visible(String(req.params.id), who)) });
    } catch (e) {
      pageError(res, e);
    }
  });

  r.get("/approvals/:id", async (req, res, next) => {
    const id = String(req.params.id);
    if (!isApprovalId(id)) return next();
    try {
      const who = await session(req);
      // The deep link survives sign-in: the sign-in link returns here.
      if (!who) return void res.type("html").send(signInPage(res.locals.cspNonce, null, `/approvals/${id}`));
      // A reason kept through a lost session's sign-in is put back into its field, once.
      const kept = await signed.verify("gatehouse-approvals-draft", readCookie(req, DRAFT_COOKIE));
      const draft = kept && kept.id === id && typeof kept.draft === "string" ? kept.draft : null;
      if (kept) clearCookie(res, DRAFT_COOKIE, cookie);
      const notice = draft
        ? {
            kind: "error" as const,
            text: "You are signed in again. Your earlier decision was not recorded: decide once more (your reason is kept).",
          }
        : req.query.edited === "1"
          ? { kind: "ok" as const, text: "Your edit and your approval of the edited call were recorded." }
          : null;
      // A refused edit (page-edit.ts) comes back with its code: the text is shown at the edit form.
      const editCode = String(req.query.edit_error ?? "");
      // Own keys only: `?edit_error=constructor` must not reach Object.prototype.
      const editError = Object.hasOwn(EDIT_ERRORS, editCode) ? EDIT_ERRORS[editCode] : null;
      renderDetail(res, who, cardOf(await visible(id, who), who, { draft, editError }), notice);
    } catch (e) {
      if (isGatehouseError(e) && e.code === "ERR_APPROVAL_NOT_FOUND")
        return void res.status(404).type("text").send("No such approval request, or you may not see it.");
      pageError(res, e);
    }
  });

  r.post("/approvals/:id/decide", form, async (req, res) => {
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const reason = typeof body.reason === "string" ? body.reason.slice(0, 1000) : null;
    const who = await session(req);
    if (!who) {
      // Nothing is recorded without a session; say so and keep what was typed: on the page, and
      // (for a form from this origin only, so no other site can plant text) in a signed cookie the
      // request's page reads back after sign-in.
      const ok = isApprovalId(id);
      if (ok && reason && req.get("origin") === new URL(ctx.publicUrl).origin) {
        setCookie(res, DRAFT_COOKIE, await signed.sign("gatehouse-approvals-draft", { id, draft: reason }, 600), {
          ...cookie,
          maxAge: 600,
        });
      }
      return void res
        .status(401)
        .type("html")
        .send(
          lostSessionPage(res.locals.cspNonce, { id: ok ? id : "", action: String(body.action ?? "") }, reason ?? ""),
        );
    }
    try {
      assertFormFromPage(req, who, ctx.publicUrl);
    } catch {
      return void res.redirect(303, "/approvals?notice=ERR_FORBIDDEN");
    }
    const action = body.action === "approve" ? "approve" : body.action === "reject" ? "reject" : null;
    try {
      if (!action) throw new GatehouseError("ERR_BAD_REQUEST", "choose approve or reject");
      const { csrf: _csrf, ...identity } = who;
      await decideApproval(ctx.transitions, {
        id,
        action,
        who: identity,
        reason,
        confirmIrreversible: body.confirm === "yes",
        // The arguments this page showed: an edit made since then refuses the approval.
        argsHash: typeof body.argsHash === "string" ? body.argsHash : undefined,
      });
      res.redirect(303, `/approvals?notice=${action === "approve" ? "approved" : "rejected"}`);
    } catch (e) {
      const code = isGatehouseError(e) ? e.code : "ERR_INTERNAL";
      const fieldError = FIELD_ERRORS[code];
      if (!fieldError) return pageError(res, e);
      try {
        const rec = await visible(id, who);
        renderDetail(
          res,
          who,
          cardOf(rec, who, { error: fieldError, draft: reason }),
          null,
          code === "ERR_APPROVAL_CONFLICT" ? 409 : code === "ERR_APPROVAL_EXPIRED" ? 410 : 400,
        );
      } catch (inner) {
        pageError(res, inner);
      }
    }
  });
  return r;
}

export function pageError(res: Response, e: unknown): void {
  const code = isGatehouseError(e) ? e.code : "ERR_INTERNAL";
  if (code === "ERR_INTERNAL") logger.error("approval page error", { error: e instanceof Error ? e.name : typeof e });
  const status =
    code === "ERR_AUDIT_UNAVAILABLE" || code === "ERR_STORE_UNAVAILABLE"
      ? 503
      : code.startsWith("ERR_UPSTREAM")
        ? 502
        : code === "ERR_APPROVAL_NOT_FOUND"
          ? 404
          : 500;
  res.status(status).type("text").send(`The approvals page could not be shown (${code}). Try again shortly.`);
}
