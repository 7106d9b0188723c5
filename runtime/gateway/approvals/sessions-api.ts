/**
 * Just-in-time access: POST /api/sessions {server, minutes, reason} issues a short-lived session
 * token signed with the gateway Signer (typ "gatehouse-jit", claims grant/server/rule, exp no
 * later than the rule allows) and records the grant; a rule with grant "approval" goes through an
 * approval first; anything else is refused (403) and audited. DELETE /api/sessions/:id revokes.
 */
import { randomUUID } from "node:crypto";
import express, { Router } from "express";
import { z } from "zod";
import type { AccessRule, ApprovalRule } from "../../core/policy-model/schema";
import { NameSchema } from "../../core/policy-model/schema";
import { actorOf } from "../../core/approvals/approval-audit";
import { approvalUrl } from "../../core/approvals/approval-record";
import type { GrantRecord } from "../../core/approvals/grant-store";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import { identityOf, type ApprovalsContext } from "./approvals-context";
import { JIT_TOKEN_TYPE, mintJitToken } from "../../core/mcp/jit-token";
import { fromIdentityProvider } from "../../core/policy/principals";
import { sendRejection, toGatehouseError } from "../../http/send-rejection";

export const JIT_TOKEN_TYP = JIT_TOKEN_TYPE;
export const JIT_SESSION_TOOL = "jit-session";

const SessionRequestSchema = z.object({
  server: NameSchema,
  minutes: z
    .number()
    .int()
    .positive()
    .max(24 * 60),
  reason: z.string().trim().min(3).max(500),
});

export function sessionsApi(ctx: ApprovalsContext): Router {
  const r = Router();
  r.use("/api/sessions", ctx.deps.authenticate);
  const now = (): Date => (ctx.deps.now ?? (() => new Date()))();

  const auditJit = async (
    kind: "jit.requested" | "jit.granted" | "jit.denied" | "jit.revoked",
    who: Identity,
    server: string | null,
    d: {
      outcome: "allowed" | "denied" | "info";
      ruleId?: string | null;
      code?: string | null;
      reason?: string | null;
      grantId?: string | null;
      approvalId?: string | null;
      details?: Record<string, unknown>;
    },
  ) => {
    await ctx.deps.audit.write({
      kind,
      policyVersion: ctx.audit.policyVersion?.() ?? null,
      actor: actorOf(who),
      session: { jitGrantId: d.grantId ?? null },
      target: { server },
      action: { method: kind === "jit.revoked" ? "DELETE /api/sessions" : "POST /api/sessions" },
      decision: {
        outcome: d.outcome,
        ruleId: d.ruleId ?? null,
        code: d.code ?? null,
        reason: d.reason ?? null,
        approvalId: d.approvalId ?? null,
      },
      // Field names of the evidence contract (runtime/core/evidence/details-fields.ts).
      details: {
        ...(d.grantId ? { grantId: d.grantId } : {}),
        ...(d.ruleId ? { ruleId: d.ruleId } : {}),
        ...(server ? { server } : {}),
        ...(d.reason ? { reason: d.reason } : {}),
        requester: { oid: who.oid, username: who.username },
        ...d.details,
      },
    });
  };

  r.post("/api/sessions", express.json({ limit: "8kb" }), async (req, res) => {
    let who: Identity | null = null;
    let server: string | null = null;
    try {
      who = identityOf(req);
      const body = SessionRequestSchema.parse(req.body ?? {});
      server = body.server;
      const rules = ctx.deps.policy.jitRules(who, body.server);
      const onRequest = best(rules.filter((x) => x.jit.grant === "on-request"));
      const withApproval = best(
        rules.filter(
          (x) => x.jit.grant === "approval" && (x.jit.approvers.roles.length > 0 || x.jit.approvers.groups.length > 0),
        ),
      );
      const rule = onRequest ?? withApproval;
      if (!rule)
        throw new GatehouseError(
          "ERR_FORBIDDEN",
          `no just-in-time rule lets you request a session on '${body.server}'`,
        );
      const minutes = Math.min(body.minutes, rule.jit.maxMinutes);
      let approvalId: string | null = null;
      if (rule === withApproval && !onRequest) {
        await auditJit("jit.requested", who, server, {
          outcome: "info",
          ruleId: rule.id,
          reason: body.reason,
          details: { minutes },
        });
        const outcome = await ctx.coordinator.requestAndWait({
          kind: "jit",
          identity: who,
          server: body.server,
          tool: JIT_SESSION_TOOL,
          // The approval covers server, rule and duration; the free-text reason is shown, not hashed.
          args: { server: body.server, ruleId: rule.id, minutes },
          maskedArgs: { server: body.server, minutes, reason: body.reason },
          rule: jitApprovalRule(rule),
          correlationId: randomUUID(),
          signal: AbortSignal.timeout(ctx.deps.jitApprovalWaitMs ?? 20_000),
          maxWaitMs: ctx.deps.jitApprovalWaitMs ?? 20_000,
        });
        if (outcome.outcome === "timeout") {
          res.status(202).json({
            status: "pending",
            approvalId: outcome.approvalId,
            url: approvalUrl(ctx.publicUrl, outcome.approvalId),
            message: "an approver must approve this session; repeat the identical request after approval",
          });
          return;
        }
        if (outcome.outcome !== "approved") {
          const code = outcome.outcome === "rejected" ? "ERR_APPROVAL_REJECTED" : "ERR_APPROVAL_EXPIRED";
          await auditJit("jit.denied", who, server, {
            outcome: "denied",
            ruleId: rule.id,
            code,
            reason: outcome.reason,
            approvalId: outcome.approvalId,
          });
          throw new GatehouseError(code, outcome.reason ?? `the session request was ${outcome.outcome}`, {
            approvalId: outcome.approvalId,
          });
        }
        approvalId = outcome.approvalId;
      }
      const issued = now();
      const grant: GrantRecord = {
        id: randomUUID(),
        holder: { oid: who.oid, tenantId: who.tenantId, username: who.username },
        server: body.server,
        ruleId: rule.id,
        reason: body.reason,
        minutes,
        createdAt: issued.toISOString(),
        expiresAt: new Date(issued.getTime() + minutes * 60_000).toISOString(),
        approvalId,
        revokers: { roles: [...rule.jit.approvers.roles], groups: [...rule.jit.approvers.groups] },
        revokedAt: null,
        revokedBy: null,
      };
      // Durable audit first, then the grant, then the token: nothing usable exists unaudited.
      await auditJit("jit.granted", who, server, {
        outcome: "allowed",
        ruleId: rule.id,
        reason: body.reason,
        grantId: grant.id,
        approvalId,
        details: { minutes, expiresAt: grant.expiresAt },
      });
      await ctx.deps.grants.create(grant);
      const token = await mintJitToken(
        ctx.deps.signer,
        { grantId: grant.id, server: grant.server, ruleId: grant.ruleId, holder: who },
        { expiresInSeconds: minutes * 60 },
      );
      res.status(201).json({
        sessionId: grant.id,
        token,
        server: grant.server,
        ruleId: grant.ruleId,
        minutes,
        expiresAt: grant.expiresAt,
        approvalId,
      });
    } catch (e) {
      const err = toGatehouseError(e);
      if (who && (err.code === "ERR_FORBIDDEN" || err.code === "ERR_BAD_REQUEST")) {
        try {
          await auditJit("jit.denied", who, server, { outcome: "denied", code: err.code, reason: err.message });
        } catch (auditErr) {
          return void sendRejection(res, auditErr);
        }
      }
      sendRejection(res, err);
    }
  });

  r.get("/api/sessions", async (req, res) => {
    try {
      const who = identityOf(req);
      const grants = await ctx.deps.grants.listForHolder(who.oid);
      res.json({
        sessions: grants.map((g) => ({ ...g, active: !g.revokedAt && Date.parse(g.expiresAt) > now().getTime() })),
      });
    } catch (e) {
      sendRejection(res, e);
    }
  });

  r.delete("/api/sessions/:id", async (req, res) => {
    try {
      const who = identityOf(req);
      const found = await ctx.deps.grants.get(String(req.params.id));
      if (!found) throw new GatehouseError("ERR_APPROVAL_NOT_FOUND", "no such session", { grantId: req.params.id });
      const g = found.grant;
      const isHolder = g.holder.oid === who.oid;
      const isRevoker =
        fromIdentityProvider(who) &&
        who.kind !== "app" &&
        (g.revokers.roles.some((x) => who.roles.includes(x)) ||
          (!who.groupsOverage && g.revokers.groups.some((x) => who.groups.includes(x))));
      if (!isHolder && !isRevoker)
        throw new GatehouseError("ERR_FORBIDDEN", "only the session holder or an approver of its rule may revoke it", {
          grantId: g.id,
        });
      const revoked = await ctx.deps.grants.revoke(g.id, { oid: who.oid, username: who.username }, now());
      await auditJit("jit.revoked", who, g.server, {
        outcome: "info",
        ruleId: g.ruleId,
        grantId: g.id,
        details: {
          holder: { oid: g.holder.oid, username: g.holder.username },
          requester: { oid: g.holder.oid, username: g.holder.username },
          revokedAt: revoked.revokedAt,
        },
      });
      res.json({ sessionId: g.id, revokedAt: revoked.revokedAt });
    } catch (e) {
      sendRejection(res, e);
    }
  });
  return r;
}

/** The rule with the longest allowed session wins when several apply. */
function best(rules: AccessRule[]): AccessRule | undefined {
  return [...rules].sort((a, b) => b.jit.maxMinutes - a.jit.maxMinutes)[0];
}

/** A JIT access rule with grant "approval", as the approval rule the coordinator enforces. */
export function jitApprovalRule(rule: AccessRule): ApprovalRule {
  return {
    id: rule.id,
    description: rule.description || `just-in-time access through rule ${rule.id}`,
    servers: [...rule.servers],
    tools: [JIT_SESSION_TOOL],
    when: [],
    approvers: { roles: [...rule.jit.approvers.roles], groups: [...rule.jit.approvers.groups] },
    count: 1,
    expiresAfterSeconds: 3600,
  };
}
