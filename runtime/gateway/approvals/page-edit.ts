/**
 * POST /approvals/<id>/edit: the detail page's "Edit arguments" form (page-edit-html.ts). Signed in
 * and CSRF-checked like the decision form; the edit goes through the same core transition as the
 * REST API (approval-edit.ts). The answer is the request's page again: with a notice once the edit
 * is recorded, or with the refusal's text at the form (nothing is changed by a refused edit).
 */
import express, { Router } from "express";
import { isGatehouseError } from "../../core/errors";
import type { ApprovalsContext } from "./approvals-context";
import { editCall } from "./edit-call";
import { changesFromForm, EDIT_ERRORS } from "./page-edit-html";
import { pageError } from "./approval-page-views";
import { assertFormFromPage, readPageSession } from "./page-session";
import { isApprovalId } from "./return-path";
import type { SignedState } from "./signed-state";

export function approvalPageEdit(ctx: ApprovalsContext, signed: SignedState): Router {
  const r = Router();
  // Room for every argument field of a reviewable request (at most ~24,000 characters masked).
  const form = express.urlencoded({ extended: false, limit: "64kb" });
  r.post("/approvals/:id/edit", form, async (req, res, next) => {
    const id = String(req.params.id);
    if (!isApprovalId(id)) return next();
    const who = await readPageSession(signed, req);
    // Without a session nothing is recorded: back through sign-in to the same request.
    if (!who) return void res.redirect(303, `/approvals/login?return=${encodeURIComponent(`/approvals/${id}`)}`);
    try {
      assertFormFromPage(req, who, ctx.publicUrl);
    } catch {
      return void res.redirect(303, "/approvals?notice=ERR_FORBIDDEN");
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const found = await ctx.deps.approvals.require(id);
      const { csrf: _csrf, ...identity } = who;
      await editCall(ctx, {
        id,
        who: identity,
        changes: changesFromForm(found.record, body),
        reason: typeof body.reason === "string" ? body.reason : null,
        confirmIrreversible: body.confirm === "yes",
      });
      res.redirect(303, `/approvals/${id}?edited=1`);
    } catch (e) {
      const code = isGatehouseError(e) ? e.code : "ERR_INTERNAL";
      if (!Object.hasOwn(EDIT_ERRORS, code)) return pageError(res, e);
      res.redirect(303, `/approvals/${id}?edit_error=${code}`);
    }
  });
  return r;
}
