/**
 * Edit, then approve (issue 20, item 1): an approver replaces some top-level arguments of a held
 * call, with a reason, and approves the edited call. Everything is checked before anything is
 * written: the approver may decide this request (no self-approval), the rule allows edits, the
 * edited arguments match the tool's input schema, and the policy, re-run on the edited call for
 * the requester, still lets it through under the same approval rule. The approvals collected so
 * far are reset (they covered other arguments); the editor's approval is the first of the edited
 * version. The record then covers the edited arguments' hash; audited before it takes effect.
 */
import { canonicalSha256 } from "../policy-model/canonical-json";
import { GatehouseError } from "../errors";
import type { Identity } from "../identity";
import type { Masker } from "../masking/masker";
import { maskLabel } from "../masking/mask-label";
import type { PolicyDecision } from "../policy/policy-engine";
import { logger } from "../telemetry/logger";
import { approvedArgsHash, type ApprovalRecord } from "./approval-record";
import type { StoredApproval } from "./approval-store";
import { applyDecision, assertMayDecide, isPastExpiry } from "./approval-rules";
import { actorOf, auditApproval } from "./approval-audit";
import { expireApproval, MAX_REASON_CHARS, settle, type TransitionDeps } from "./approval-decisions";
import { isReviewable, NOT_APPROVABLE_REASON } from "./approval-size";
import { MASK_PLACEHOLDER } from "../masking/replacement";
import type { ArgumentSealer } from "./argument-sealer";
import { assertMatchesInputSchema } from "./edit-schema-check";

export interface EditDeps extends TransitionDeps {
  readonly sealer: ArgumentSealer;
  /** The policy in force: the edited call is decided again (PolicyView satisfies it). */
  readonly policy: {
    decide(identity: Identity, server: string, request: { method: string; params?: unknown }): PolicyDecision;
  };
  /** The gateway's masker: the edited arguments and the reason are stored masked (audit copy). */
  readonly masker: Masker;
}

export interface EditInput {
  readonly id: string;
  readonly who: Identity;
  /** Top-level arguments to replace, by name; every other argument keeps its value. */
  readonly changes: Record<string, unknown>;
  readonly reason: string | null;
  readonly confirmIrreversible?: boolean;
}

const MAX_ATTEMPTS = 8;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export async function editApproval(deps: EditDeps, input: EditInput): Promise<ApprovalRecord> {
  const ids = { approvalId: input.id };
  const rawReason = input.reason?.trim() ? input.reason.trim().slice(0, MAX_REASON_CHARS) : null;
  if (!rawReason) throw new GatehouseError("ERR_BAD_REQUEST", "a reason is required to edit a call", ids);
  if (!isObject(input.changes) || Object.keys(input.changes).length === 0)
    throw new GatehouseError("ERR_EDIT_INVALID", "name at least one argument to change", ids);
  const now = deps.now ?? (() => new Date());
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.require(input.id);
    if (isPastExpiry(current.record, now())) await expireApproval(deps, current);
    const r = current.record;
    // The approvals so far are reset by the edit: an approver of the old version may edit it.
    assertMayDecide({ ...r, approvals: [] }, input.who, now());
    const { edited, maskedArgs, maskedReason, changed, hash } = composeEdit(deps, r, input, rawReason);
    const at = now().toISOString();
    const base: ApprovalRecord = {
      ...r,
      maskedArgs,
      sealedArgs: deps.sealer.seal(r.id, edited),
      approvals: [],
      edit: {
        by: { oid: input.who.oid, username: input.who.username },
        at,
        reason: maskedReason,
        originalArgsHash: r.edit?.originalArgsHash ?? r.argsHash,
        editedArgsHash: hash,
        originalMaskedArgs: r.edit ? r.edit.originalMaskedArgs : r.maskedArgs,
        changed,
        edits: (r.edit?.edits ?? 0) + 1,
      },
    };
    // The editor's approval is the first approval of the edited version (no self-approval: checked above).
    const next = applyDecision(base, {
      action: "approve",
      who: input.who,
      reason: maskedReason,
      now: now(),
      usableForSeconds: Math.max(60, Math.round((Date.parse(r.expiresAt) - Date.parse(r.createdAt)) / 1000)),
    });
    let saved: StoredApproval;
    try {
      saved = await deps.store.update(next, current.etag);
    } catch (e) {
      // Another approver or replica changed the record first: re-read and re-check everything.
      if (e instanceof GatehouseError && e.code === "ERR_APPROVAL_CONFLICT" && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    try {
      await auditApproval(deps.audit, "approval.decided", next, {
        actor: actorOf(input.who),
        outcome: next.status === "approved" ? "approval_approved" : "info",
        reason: maskedReason,
        details: {
          action: "edit",
          approvalsSoFar: next.approvals.length,
          approvalsReset: r.approvals.map((a) => ({ oid: a.oid, username: a.username })),
          originalArgsHash: next.edit!.originalArgsHash,
          previousArgsHash: approvedArgsHash(r),
          editedArgsHash: hash,
          changed: changed.map((c) => maskLabel(c)),
          previousArguments: r.maskedArgs,
        },
      });
    } catch (e) {
      // Fail closed: an edit that cannot be audited is undone.
      await deps.store.update(r, saved.etag).catch((undo: unknown) =>
        logger.error("approval edit could not be undone after an audit failure", {
          event: "approvals.edit_undo_failed",
          approvalId: input.id,
          error: undo instanceof Error ? undo.name : typeof undo,
        }),
      );
      throw e;
    }
    // An edit that completes the approvals settles the request like any decision (PagerDuty resolved).
    settle(deps, next);
    return next;
  }
}

/** Checks the edit against the rule, the record, the input schema and the policy; the edited call. */
function composeEdit(
  deps: EditDeps,
  r: ApprovalRecord,
  input: EditInput,
  reason: string,
): { edited: Record<string, unknown>; maskedArgs: unknown; maskedReason: string; changed: string[]; hash: string } {
  const ids = { approvalId: r.id };
  if (r.kind !== "tool-call")
    throw new GatehouseError("ERR_EDIT_UNAVAILABLE", "only a held tool call can be edited", ids);
  if (r.allowEdit === false)
    throw new GatehouseError("ERR_EDIT_FORBIDDEN", `approval rule ${r.ruleId} does not allow edits`, {
      ...ids,
      ruleId: r.ruleId,
    });
  if (!isReviewable(r)) throw new GatehouseError("ERR_APPROVAL_TOO_LARGE", NOT_APPROVABLE_REASON, ids);
  const schema = r.toolInfo?.inputSchema;
  const opened = r.sealedArgs ? deps.sealer.open(r.id, r.sealedArgs) : null;
  const currentHash = approvedArgsHash(r);
  if (!schema || !r.requesterIdentity || !opened || canonicalSha256(opened.value ?? {}) !== currentHash) {
    throw new GatehouseError(
      "ERR_EDIT_UNAVAILABLE",
      "this call cannot be edited here: the gateway did not keep its arguments or did not see the tool's input schema; approve or reject it as it is",
      ids,
    );
  }
  // A masked placeholder is what the approver saw, never a value: an edit that carries one (a
  // nested value of a replaced object, a flattened multi-line field) would run the placeholder.
  if (MASK_PLACEHOLDER.test(JSON.stringify(input.changes)))
    throw new GatehouseError(
      "ERR_EDIT_INVALID",
      "the edit contains a masked placeholder ([REDACTED:…] or [HASH:…]): type the whole value, or leave the field as shown to keep it",
      ids,
    );
  const before = isObject(opened.value) ? opened.value : {};
  const edited = { ...before, ...input.changes };
  const hash = canonicalSha256(edited);
  if (hash === currentHash) throw new GatehouseError("ERR_EDIT_INVALID", "the edit changes nothing", ids);
  assertMatchesInputSchema(schema, edited, r.id);
  const decision = deps.policy.decide(r.requesterIdentity, r.server, {
    method: "tools/call",
    params: { name: r.tool, arguments: edited },
  });
  if (decision.effect === "deny" || decision.effect === "block")
    throw new GatehouseError("ERR_EDIT_DENIED", `the policy does not allow the edited call (${decision.code})`, {
      ...ids,
      policyCode: decision.code,
      ruleId: decision.ruleId,
    });
  if (decision.effect === "approval" && decision.rule.id !== r.ruleId)
    throw new GatehouseError(
      "ERR_EDIT_DENIED",
      "the edited call needs another approval rule: it cannot be approved here",
      {
        ...ids,
        policyCode: "ERR_APPROVAL_REQUIRED",
        ruleId: decision.rule.id,
      },
    );
  if (r.irreversible && input.confirmIrreversible !== true)
    throw new GatehouseError(
      "ERR_CONFIRMATION_REQUIRED",
      "this call cannot be undone: confirm it explicitly (confirmIrreversible: true) to approve it",
      ids,
    );
  const ctx = { server: r.server, tool: r.tool, copy: "audit" as const };
  return {
    edited,
    maskedArgs: deps.masker.maskValue(edited, ctx).value,
    maskedReason: maskLabel(reason, deps.masker, ctx),
    changed: Object.keys(input.changes).filter(
      (k) => canonicalSha256(before[k] ?? null) !== canonicalSha256(edited[k] ?? null),
    ),
    hash,
  };
}
