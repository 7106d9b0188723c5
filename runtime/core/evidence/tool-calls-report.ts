/**
 * `tool-calls`: every tool call of the period (the population auditors sample from), one row per
 * call, keyed by the event id of its first request record.
 */
import { canonicalJson, sha256Hex } from "../policy-model/canonical-json";
import type { AuditRecord } from "../audit/record-schema";
import { approvalApprovers } from "./approvals-report";
import { indexApprovals, indexToolCalls, type ToolCall } from "./call-index";
import { approvalDetails, callDetails } from "./details-fields";
import { inPeriod } from "./period";
import type { ReportInput, ReportResult, Row } from "./report-types";

// 1.1.0 appends actorKind, actorAppId (machine identities), arguments and argumentsSha256 (the masked
// arguments and their hash), so 1.0.0 readers keep their columns; approvers are those recorded
// before the call was decided.
export const TOOL_CALLS_REPORT = { name: "tool-calls", version: "1.1.0" } as const;

export const TOOL_CALLS_COLUMNS = [
  "eventId",
  "time",
  "chainId",
  "seq",
  "correlationId",
  "actorOid",
  "actorUsername",
  "via",
  "jitGrantId",
  "server",
  "tool",
  "decision",
  "ruleId",
  "code",
  "executed",
  "resultStatus",
  "approvalId",
  "approvers",
  "justification",
  "policyVersion",
  "policyCommit",
  "responseEventId",
  "actorKind",
  "actorAppId",
  "arguments",
  "argumentsSha256",
] as const;

function allRecords(input: ReportInput): AuditRecord[] {
  return [...input.chains.values()].flat();
}

export function toolCallsReport(input: ReportInput): ReportResult {
  const all = allRecords(input);
  const approvals = indexApprovals(all);
  const calls = indexToolCalls(all, approvals).filter((c) => inPeriod(c.request.time, input.period));
  const rows = calls.map((c): Row => {
    const last: AuditRecord = c.requests[c.requests.length - 1];
    const a = c.approvalId ? approvals.get(c.approvalId) : undefined;
    // Who approved: from the approval's own records (a rejecting approver is not an approver),
    // as they stood when the call was decided (a refused call is not approved by a later
    // decision); without them, what the executed request record says.
    const approvers = new Map<string, string>();
    const listed = a
      ? approvalApprovers(a, c.executedBy ?? last)
      : c.executedBy
        ? c.requests.flatMap((r) => r.decision.approvers)
        : [];
    for (const p of listed) approvers.set(p.oid, p.username ?? p.oid);
    const response = c.responses[c.responses.length - 1];
    const justification =
      callDetails(c.request).justification ??
      (a?.requested ? approvalDetails(a.requested).justification : undefined) ??
      null;
    return {
      eventId: c.request.id,
      time: c.request.time,
      chainId: c.request.chainId,
      seq: c.request.seq,
      correlationId: c.request.correlationId,
      actorOid: c.request.actor.oid,
      actorUsername: c.request.actor.username,
      via: c.request.actor.via,
      jitGrantId: c.request.session.jitGrantId,
      server: c.request.target.server,
      tool: c.request.action.name,
      ...argumentCells(c.request),
      decision: finalDecision(c, a ? approvalOutcome(a.decided, a.expired) : null, last),
      ruleId: last.decision.ruleId,
      code: last.decision.code ?? response?.decision.code ?? null,
      executed: c.executedBy !== null,
      resultStatus: response?.result.status ?? "none",
      approvalId: c.approvalId,
      approvers: [...approvers.values()].join(" "),
      justification,
      policyVersion: c.request.policyVersion,
      policyCommit: c.request.policyCommit,
      responseEventId: response?.id ?? null,
      actorKind: c.request.actor.kind ?? "user",
      actorAppId: c.request.actor.appId ?? null,
    };
  });
  return {
    report: TOOL_CALLS_REPORT.name,
    version: TOOL_CALLS_REPORT.version,
    columns: TOOL_CALLS_COLUMNS,
    rows,
    exceptions: [],
  };
}

/**
 * The arguments as the audit record holds them (masked with the audit policy) in canonical JSON,
 * and the sha256 of that text, so a reviewer can match two calls or recompute the hash. The
 * approval's own argsHash (approvals.csv) is over the unmasked arguments and differs by design.
 */
function argumentCells(r: AuditRecord): Row {
  if (r.action.arguments === undefined) return { arguments: null, argumentsSha256: null };
  const text = canonicalJson(r.action.arguments);
  return { arguments: text, argumentsSha256: sha256Hex(text) };
}

function approvalOutcome(decided: readonly AuditRecord[], expired: AuditRecord | null): string | null {
  const d =
    decided.find((x) => x.decision.outcome === "approval_rejected") ??
    decided.find((x) => x.decision.outcome === "approval_approved");
  if (d) return d.decision.outcome;
  return expired ? "approval_expired" : null;
}

/** The call's decision: its request records' last word, completed by the approval's state. */
function finalDecision(c: ToolCall, fromApproval: string | null, last: AuditRecord): string {
  if (c.executedBy) return c.approvalId ? "approval_approved" : "allowed";
  if (last.decision.outcome === "approval_requested" && fromApproval) return fromApproval;
  return last.decision.outcome;
}
