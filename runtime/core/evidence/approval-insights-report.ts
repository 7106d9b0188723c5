/**
 * `approval-insights`: how approvals are decided, for approvers' leads and auditors (issue 20
 * item 4): time from request to decision (p50/p90), expiries, rejections and edits, per rule and
 * per approver. One CSV, three kinds of rows (`dimension`):
 * - `all`: every approval requested in the period;
 * - `rule`: the same, per approval rule (rejections by rule);
 * - `approver`: the decisions each approver recorded (approvals given, rejections, edits) and
 *   how long after the request they recorded them.
 *
 * Time to decision runs from the approval.requested record to the decision that settled the
 * approval (approved, or rejected); partial approvals of an N-of-M rule do not settle it. An
 * approval without its request record in the trail has no measurable time (counted, not timed).
 * Percentiles use the nearest-rank method: the smallest value at or above p% of the sample, so
 * every figure is one actual decision time (docs/evidence.md).
 *
 * Edits are the approver's edits of a held call (edit-then-approve): `approval.decided` records
 * with `details.action` "edit". An edit also approves the edited call, so it counts as a decision
 * of its approver as well.
 */
import type { AuditRecord } from "../audit/record-schema";
import { approvalState, compareRecords, indexApprovals, type Approval } from "./call-index";
import { approvalDetails } from "./details-fields";
import { inPeriod } from "./period";
import type { ReportInput, ReportResult, Row } from "./report-types";

export const APPROVAL_INSIGHTS_REPORT = { name: "approval-insights", version: "1.0.0" } as const;

export const APPROVAL_INSIGHTS_COLUMNS = [
  "dimension",
  "subject",
  "requests",
  "approved",
  "rejected",
  "expired",
  "pending",
  "edits",
  "decisions",
  "decisionP50Seconds",
  "decisionP90Seconds",
] as const;

/** Nearest-rank percentile of `values` (null for none): sorted[ceil(p/100 * n) - 1]. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const seconds = (from: AuditRecord, to: AuditRecord): number => (Date.parse(to.time) - Date.parse(from.time)) / 1000;

/** The decision that settled the approval: its first approving or rejecting record. */
function settlingDecision(a: Approval): AuditRecord | undefined {
  return a.decided.find(
    (d) => d.decision.outcome === "approval_approved" || d.decision.outcome === "approval_rejected",
  );
}

interface Tally {
  requests: number;
  approved: number;
  rejected: number;
  expired: number;
  pending: number;
  edits: number;
  times: number[];
}

const emptyTally = (): Tally => ({
  requests: 0,
  approved: 0,
  rejected: 0,
  expired: 0,
  pending: 0,
  edits: 0,
  times: [],
});

function tallyRow(dimension: string, subject: string, t: Tally, perApprover = false): Row {
  return {
    dimension,
    subject,
    requests: perApprover ? null : t.requests,
    approved: t.approved,
    rejected: t.rejected,
    expired: perApprover ? null : t.expired,
    pending: perApprover ? null : t.pending,
    edits: t.edits,
    decisions: t.times.length,
    decisionP50Seconds: nearestRank(t.times, 50),
    decisionP90Seconds: nearestRank(t.times, 90),
  };
}

const who = (r: AuditRecord): string | null => r.actor.username ?? r.actor.oid;

export function approvalInsightsReport(input: ReportInput): ReportResult {
  const all = [...input.chains.values()].flat().sort(compareRecords);
  const approvals = indexApprovals(all);
  const inScope = [...approvals.values()].filter((a) => {
    const first = a.requested ?? a.decided[0] ?? a.expired ?? a.consumed[0];
    return first !== undefined && first !== null && inPeriod(first.time, input.period);
  });

  const total = emptyTally();
  const byRule = new Map<string, Tally>();
  const byApprover = new Map<string, Tally>();
  const approverTally = (name: string): Tally => {
    const t = byApprover.get(name) ?? emptyTally();
    byApprover.set(name, t);
    return t;
  };
  for (const a of inScope) {
    const anchor = a.requested ?? a.decided[0] ?? a.expired ?? a.consumed[0];
    const rule = anchor.decision.ruleId ?? approvalDetails(anchor).ruleId ?? "(none)";
    const ruleTally = byRule.get(rule) ?? emptyTally();
    byRule.set(rule, ruleTally);
    const state = approvalState(a);
    const settled = settlingDecision(a);
    const time = a.requested && settled ? seconds(a.requested, settled) : null;
    const edited = a.decided.filter((d) => approvalDetails(d).action === "edit");
    for (const t of [total, ruleTally]) {
      t.requests++;
      t[state]++;
      t.edits += edited.length;
      if (time !== null) t.times.push(time);
    }
    // Per approver: each decision they recorded (a partial approval of an N-of-M rule included).
    for (const d of a.decided) {
      const name = who(d);
      if (!name) continue;
      const t = approverTally(name);
      if (d.decision.outcome === "approval_rejected") t.rejected++;
      else t.approved++;
      if (a.requested) t.times.push(seconds(a.requested, d));
    }
    for (const e of edited) {
      const name = who(e);
      if (name) approverTally(name).edits++;
    }
  }

  const sortedKeys = <T>(m: Map<string, T>) => [...m.keys()].sort();
  const rows: Row[] = [
    tallyRow("all", "all", total),
    ...sortedKeys(byRule).map((k) => tallyRow("rule", k, byRule.get(k)!)),
    ...sortedKeys(byApprover).map((k) => tallyRow("approver", k, byApprover.get(k)!, true)),
  ];
  return {
    report: APPROVAL_INSIGHTS_REPORT.name,
    version: APPROVAL_INSIGHTS_REPORT.version,
    columns: APPROVAL_INSIGHTS_COLUMNS,
    rows,
    exceptions: [],
  };
}
