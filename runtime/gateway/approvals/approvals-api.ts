/**
 * REST for approvers and tools (the CLI): GET /api/approvals?status=pending, GET
 * /api/approvals/:id, POST /api/approvals/:id/approve and /reject with {reason}. Bearer auth as
 * for MCP; every rule is enforced in core/approvals, whichever replica receives the decision.
 * POST /api/approvals/:id/edit edits the held call's arguments and approves the edited call.
 */
import express, { Router } from "express";
import { z } from "zod";
import { ApprovalStatusSchema, approvalView } from "../../core/approvals/approval-record";
import { decideApproval, expireApproval, MAX_REASON_CHARS } from "../../core/approvals/approval-decisions";
import { isPastExpiry } from "../../core/approvals/approval-rules";
import { HistoryFilterSchema, matchesHistory } from "../../core/approvals/approval-history";
import { GatehouseError } from "../../core/errors";
import { canSee, identityOf, type ApprovalsContext } from "./approvals-context";
import { editCall } from "./edit-call";
import { sendRejection } from "../../http/send-rejection";

// The history filters; status defaults to pending here (the CLI's list), to all in the page's history.
const ListQuerySchema = HistoryFilterSchema.extend({
  status: z.union([ApprovalStatusSchema, z.literal("all")]).default("pending"),
});
const DecisionBodySchema = z
  .object({
    reason: z.string().max(MAX_REASON_CHARS).optional(),
    confirmIrreversible: z.boolean().optional(),
    // The `currentArgsHash` the caller reviewed: refused (409) if an edit changed the call since.
    argsHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .prefault({});

const EditBodySchema = z.object({
  reason: z.string().max(MAX_REASON_CHARS).optional(),
  arguments: z.record(z.string(), z.unknown()),
  confirmIrreversible: z.boolean().optional(),
});

export function approvalsApi(ctx: ApprovalsContext): Router {
  const r = Router();
  const json = express.json({ limit: "16kb" });
  r.use("/api/approvals", ctx.deps.authenticate);

  r.get("/api/approvals", async (req, res) => {
    try {
      const who = identityOf(req);
      const filter = ListQuerySchema.parse(req.query);
      const { status } = filter;
      const now = (ctx.deps.now ?? (() => new Date()))();
      const rows = await ctx.deps.approvals.list(
        status === "all" ? {} : { status: status === "expired" ? undefined : status },
      );
      const out = [];
      for (const row of rows) {
        let rec = row.record;
        if (isPastExpiry(rec, now)) rec = await expireApproval(ctx.transitions, row);
        if (!matchesHistory(rec, filter)) continue;
        if (canSee(rec, who)) out.push(approvalView(rec, ctx.publicUrl));
      }
      res.json({ approvals: out });
    } catch (e) {
      sendRejection(res, e);
    }
  });

  r.get("/api/approvals/:id", async (req, res) => {
    try {
      const who = identityOf(req);
      const found = await ctx.deps.approvals.get(req.params.id);
      // Not visible and not found look the same: ids of others' requests are not confirmed.
      if (!found || !canSee(found.record, who))
        throw new GatehouseError("ERR_APPROVAL_NOT_FOUND", "no such approval", { approvalId: req.params.id });
      let rec = found.record;
      if (isPastExpiry(rec, (ctx.deps.now ?? (() => new Date()))())) rec = await expireApproval(ctx.transitions, found);
      res.json(approvalView(rec, ctx.publicUrl));
    } catch (e) {
      sendRejection(res, e);
    }
  });

  for (const action of ["approve", "reject"] as const) {
    r.post(`/api/approvals/:id/${action}`, json, async (req, res) => {
      try {
        const who = identityOf(req);
        const body = DecisionBodySchema.parse(req.body ?? {});
        const rec = await decideApproval(ctx.transitions, {
          id: String(req.params.id),
          action,
          who,
          reason: body.reason ?? null,
          confirmIrreversible: body.confirmIrreversible,
          argsHash: body.argsHash,
        });
        res.json(approvalView(rec, ctx.publicUrl));
      } catch (e) {
        sendRejection(res, e);
      }
    });
  }
  // Edit, then approve (issue 20, item 1): {reason, arguments: {name: value, ...}, confirmIrreversible}.
  r.post("/api/approvals/:id/edit", json, async (req, res) => {
    try {
      const who = identityOf(req);
      const body = EditBodySchema.safeParse(req.body ?? {});
      if (!body.success)
        throw new GatehouseError(
          "ERR_BAD_REQUEST",
          "expected {reason, arguments: {name: value}, confirmIrreversible?}",
        );
      const rec = await editCall(ctx, {
        id: String(req.params.id),
        who,
        changes: body.data.arguments,
        reason: body.data.reason ?? null,
        confirmIrreversible: body.data.confirmIrreversible,
      });
      res.json(approvalView(rec, ctx.publicUrl));
    } catch (e) {
      sendRejection(res, e);
    }
  });
  return r;
}
