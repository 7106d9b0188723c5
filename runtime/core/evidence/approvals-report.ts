/**
 * `approvals`: every approval of the period with requester, approvers, reasons and times, and the
 * exceptions that must be empty in a healthy system:
 * - `self_approval`: the requester approved their own request;
 * - `approval_after_execution`: the approving decision was recorded after the call executed;
 * - `executed_without_approval`: a call matching an approval rule (of the bundle version it was
 *   decided under), or citing an approval that was never approved, executed anyway;
 * - `approval_used_twice`: one approval consumed, or cited by executed calls, more than once;
 * - `approval_rule_unverifiable`: calls decided under a bundle version the report was not given,
 *   so the approval-rule check could not run for them (one finding per version).
 */
import type { AuditRecord } from "../audit/record-schema";
import { approvalRuleFor, bundleFor } from "./bundle-lookup";
import {
  approvalState,
  approvingDecisions,
  compareRecords,
  indexApprovals,
  indexToolCalls,
  type Approval,
} from "./call-index";
import { approvalDetails } from "./details-fields";
import { inPeriod } from "./period";
import type { EvidenceException, ReportInput, ReportResult, Row } from "./report-types";
import { pushTo } from "./multimap";

// 1.1.0: `rejectedBy` (the rejecting approver was missing from the rows).
export const APPROVALS_REPORT = { name: "approvals", version: "1.1.0" } as const;

export const APPROVALS_COLUMNS = [
  "approvalId",
  "eventId",
  "requestedAt",
  "chainId",
  "seq",
  "correlationId",
  "requesterOid",
  "requesterUsername",
  "server",
  "tool",
  "ruleId",
  "argsHash",
  "justification",
  "state",
  "approvers",
  "rejectedBy",
  "decidedAt",
  "reasons",
  "expiresAt",
  "expiredAt",
  "consumedAt",
  "consumedCount",
] as const;

function finding(
  kind: string,
  message: string,
  recs: readonly AuditRecord[],
  subject: string | null,
): EvidenceException {
  const first = recs[0];
  return {
    kind,
    message,
    eventIds: recs.map((r) => r.id),
    chainId: first?.chainId ?? null,
    seq: first?.seq ?? null,
    subject,
  };
}

/** Requester of an approval: who wrote approval.requested, else details.requester of any record. */
export function approvalRequester(a: Approval): { oid: string | null; username: string | null } {
  if (a.requested?.actor.oid) return { oid: a.requested.actor.oid, username: a.requested.actor.username };
  for (const r of [a.requested, ...a.decided, ...a.consumed]) {
    const req = r ? approvalDetails(r).requester : undefined;
    if (req) return { oid: req.oid, username: req.username };
  }
  return { oid: null, username: null };
}

/**
 * Approvers of an approval: everyone listed in `decision.approvers` of its non-rejecting
 * decisions (a partial approval, outcome `info`, lists the approvals so far), else the actor of
 * an approving decision. With `before`, only decisions recorded before that record count: who
 * had approved when a call was decided, not who approved later. An approver's edit resets the
 * approvals collected (issue 20 item 1): only the edit and the decisions after it approve the call
 * that ran, so approvals of an earlier version are not listed.
 */
export function approvalApprovers(a: Approval, before?: AuditRecord): { oid: string; username: string | null }[] {
  const out = new Map<string, { oid: string; username: string | null }>();
  for (const d of a.decided) {
    if (before && compareRecords(d, before) >= 0) continue;
    if (d.decision.outcome === "approval_rejected") continue;
    if (approvalDetails(d).action === "edit") out.clear();
    const approving = d.decision.outcome === "approval_approved" || approvalDetails(d).action === "approve";
    const listed =
      d.decision.approvers.length > 0
        ? d.decision.approvers
        : approving && d.actor.oid
          ? [{ oid: d.actor.oid, username: d.actor.username }]
          : [];
    for (const p of listed) out.set(p.oid, p);
  }
  return [...out.values()];
}

/** Who rejected an approval: the actor of each rejecting decision. */
export function approvalRejecters(a: Approval): { oid: string; username: string | null }[] {
  const out = new Map<string, { oid: string; username: string | null }>();
  for (const d of a.decided) {
    if (d.decision.outcome === "approval_rejected" && d.actor.oid)
      out.set(d.actor.oid, { oid: d.actor.oid, username: d.actor.username });
  }
  return [...out.values()];
}

export function approvalsReport(input: ReportInput): ReportResult {
  const all = [...input.chains.values()].flat();
  const approvals = indexApprovals(all);
  const inScope = [...approvals.values()].filter((a) => {
    const first = a.requested ?? a.decided[0] ?? a.expired ?? a.consumed[0];
    return first !== undefined && first !== null && inPeriod(first.time, input.period);
  });
  const rows = inScope.map((a): Row => {
    const req = a.requested;
    const d = req ? approvalDetails(req) : approvalDetails(a.decided[0] ?? a.consumed[0] ?? a.expired!);
    const requester = approvalRequester(a);
    const anchor = req ?? a.decided[0] ?? a.expired ?? a.consumed[0];
    return {
      approvalId: a.approvalId,
      eventId: anchor.id,
      requestedAt: req?.time ?? null,
      chainId: anchor.chainId,
      seq: anchor.seq,
      correlationId: req?.correlationId ?? null,
      requesterOid: requester.oid,
      requesterUsername: requester.username,
      server: anchor.target.server,
      tool: anchor.action.name,
      ruleId: anchor.decision.ruleId ?? d.ruleId ?? null,
      argsHash: d.argsHash ?? null,
      justification: d.justification ?? null,
      state: approvalState(a),
      approvers: approvalApprovers(a)
        .map((p) => p.username ?? p.oid)
        .join(" "),
      rejectedBy: approvalRejecters(a)
        .map((p) => p.username ?? p.oid)
        .join(" "),
      decidedAt: a.decided[0]?.time ?? null,
      reasons: a.decided
        .map((x) => x.decision.reason)
        .filter((x): x is string => !!x)
        .join(" | "),
      expiresAt: d.expiresAt ?? null,
      expiredAt: a.expired?.time ?? null,
      consumedAt: a.consumed[0]?.time ?? null,
      consumedCount: a.consumed.length,
    };
  });

  const exceptions: EvidenceException[] = [];
  for (const a of inScope) {
    const requester = approvalRequester(a);
    for (const p of approvalApprovers(a)) {
      if (requester.oid && p.oid === requester.oid) {
        const by = a.decided.filter((d) => d.decision.outcome !== "approval_rejected");
        exceptions.push(
          finding(
            "self_approval",
            `approval ${a.approvalId} was approved by its requester ${p.username ?? p.oid}`,
            by,
            a.approvalId,
          ),
        );
      }
    }
    if (a.consumed.length > 1) {
      exceptions.push(
        finding(
          "approval_used_twice",
          `approval ${a.approvalId} was consumed ${a.consumed.length} times`,
          a.consumed,
          a.approvalId,
        ),
      );
    }
  }

  const calls = indexToolCalls(all, approvals).filter((c) => c.executedBy && inPeriod(c.request.time, input.period));
  const executedByApproval = new Map<string, AuditRecord[]>();
  const unverifiable = new Map<string, AuditRecord[]>();
  // A `requester-only` rule is met by the requester's recorded confirmation of that very call.
  const confirmed = new Set(all.filter((r) => r.kind === "approval.requester_confirmed").map((r) => r.correlationId));
  for (const c of calls) {
    const executed = c.executedBy!;
    if (c.approvalId) {
      pushTo(executedByApproval, c.approvalId, c.request);
      const a = approvals.get(c.approvalId);
      const approving = a ? approvingDecisions(a).sort(compareRecords)[0] : undefined;
      if (!approving) {
        exceptions.push(
          finding(
            "executed_without_approval",
            `call ${c.request.id} executed citing approval ${c.approvalId}, which was never approved`,
            [c.request, executed],
            c.approvalId,
          ),
        );
      } else if (compareRecords(approving, executed) > 0) {
        exceptions.push(
          finding(
            "approval_after_execution",
            `approval ${c.approvalId} was recorded at ${approving.time}, after the call executed at ${executed.time}`,
            [c.request, approving],
            c.approvalId,
          ),
        );
      }
      continue;
    }
    const bundle = bundleFor(input.bundles, c.request.policyVersion);
    if (!bundle) {
      const key = c.request.policyVersion ?? "(none)";
      pushTo(unverifiable, key, c.request);
      continue;
    }
    const rule = approvalRuleFor(
      bundle,
      c.request.target.server ?? "",
      c.request.action.name ?? "",
      c.request.action.arguments ?? {},
    );
    if (rule && !(rule.confirm === "requester-only" && confirmed.has(c.request.correlationId))) {
      exceptions.push(
        finding(
          "executed_without_approval",
          `call ${c.request.id} to ${c.request.target.server}/${c.request.action.name} matches approval rule ${rule.id} but executed without an approval`,
          [c.request],
          rule.id,
        ),
      );
    }
  }
  for (const [approvalId, recs] of executedByApproval) {
    const a = approvals.get(approvalId);
    if (recs.length > 1 && (a?.consumed.length ?? 0) <= 1) {
      exceptions.push(
        finding(
          "approval_used_twice",
          `approval ${approvalId} authorised ${recs.length} executed calls`,
          recs,
          approvalId,
        ),
      );
    }
  }
  for (const [version, recs] of unverifiable) {
    exceptions.push(
      finding(
        "approval_rule_unverifiable",
        `${recs.length} executed call(s) were decided under policy version ${version}, which was not supplied: pass that bundle with --policy to check them`,
        recs,
        version,
      ),
    );
  }
  return {
    report: APPROVALS_REPORT.name,
    version: APPROVALS_REPORT.version,
    columns: APPROVALS_COLUMNS,
    rows,
    exceptions,
  };
}
