/**
 * The auditor workbook's KQL, one query per question an auditor asks (docs/auditor-guide.md).
 * Queries read the workspace tables declared in log-schema.ts; the workbook applies its time range.
 */

export interface WorkbookQuery {
  readonly id: string;
  readonly title: string;
  /** Shown above the result: what the section proves and how to read it. */
  readonly description: string;
  readonly kql: string;
  readonly visualization: "table" | "timechart" | "barchart";
}

const AUDIT = `AppTraces
| where Message == "gatehouse.audit"`;

export const AUDITOR_QUERIES: readonly WorkbookQuery[] = [
  {
    id: "access-by-identity",
    title: "Access by identity",
    description: "Every identity that reached an MCP server through the gateway, with what was allowed and refused.",
    visualization: "table",
    kql: `${AUDIT}
| where tostring(Properties.kind) == "mcp.request"
| extend actor_oid = tostring(Properties.actor_oid), actor = tostring(Properties.actor_username), server = tostring(Properties.server), outcome = tostring(Properties.outcome)
| summarize calls = count(), allowed = countif(outcome == "allowed"), refused = countif(outcome in ("denied", "blocked")), approvals = countif(outcome startswith "approval_"), servers = make_set(server), tools = make_set(tostring(Properties.name), 50), first_seen = min(TimeGenerated), last_seen = max(TimeGenerated) by actor_oid, actor
| order by calls desc`,
  },
  {
    id: "privileged-actions",
    title: "Privileged actions and their approvals",
    description:
      "Each call that needed a human approver: who asked, who approved or rejected, when, and under which rule.",
    visualization: "table",
    kql: `${AUDIT}
| extend approvalId = tostring(Properties.approvalId), event_kind = tostring(Properties.kind), outcome = tostring(Properties.outcome)
| where isnotempty(approvalId)
| summarize requested = minif(TimeGenerated, outcome == "approval_requested"), decided = maxif(TimeGenerated, event_kind == "approval.decided"), requester = take_anyif(tostring(Properties.actor_username), outcome == "approval_requested"), approvers = make_set_if(tostring(Properties.approvers), isnotempty(tostring(Properties.approvers))), outcomes = make_set(outcome), server = take_any(tostring(Properties.server)), tool = take_any(tostring(Properties.name)), ruleId = take_any(tostring(Properties.ruleId)), executed = countif(event_kind == "mcp.response") by approvalId
| order by requested desc`,
  },
  {
    id: "approval-decision-times",
    title: "Approval insights: time to decision, expiries and rejections by rule",
    description:
      "Per approval rule: approvals requested, approved, rejected, expired undecided and still pending, arguments edited by an approver (approval.decided with decisionAction edit), and seconds from the request to the settling decision (p50/p90; a partial N-of-M approval does not settle). Figures match `gatehouse evidence approval-insights` (exact nearest-rank percentiles there; Log Analytics estimates them).",
    visualization: "table",
    kql: `let per_approval = ${AUDIT}
| extend approvalId = tostring(Properties.approvalId), event_kind = tostring(Properties.kind), outcome = tostring(Properties.outcome), at = todatetime(Properties.recordTime)
| where isnotempty(approvalId) and event_kind startswith "approval."
| summarize requested = minif(at, event_kind == "approval.requested"), settled = minif(at, event_kind == "approval.decided" and outcome in ("approval_approved", "approval_rejected")), approvals = countif(event_kind == "approval.decided" and outcome == "approval_approved"), rejections = countif(event_kind == "approval.decided" and outcome == "approval_rejected"), expiries = countif(event_kind == "approval.expired"), edits = countif(event_kind == "approval.decided" and tostring(Properties.decisionAction) == "edit"), ruleId = take_anyif(tostring(Properties.ruleId), isnotempty(tostring(Properties.ruleId))) by approvalId
| where isnotnull(requested)
| extend decision_seconds = (settled - requested) / 1s;
per_approval
| summarize requests = count(), approved = countif(rejections == 0 and approvals > 0), rejected = countif(rejections > 0), expired = countif(rejections == 0 and approvals == 0 and expiries > 0), pending = countif(rejections == 0 and approvals == 0 and expiries == 0), edits = sum(edits) by ruleId
| join kind=leftouter (per_approval
    | where isnotnull(settled)
    | summarize decisions = count(), p50_seconds = percentile(decision_seconds, 50), p90_seconds = percentile(decision_seconds, 90) by ruleId) on ruleId
| project ruleId, requests, approved, rejected, expired, pending, edits, decisions = coalesce(decisions, 0), p50_seconds, p90_seconds
| order by requests desc`,
  },
  {
    id: "approvals-per-approver",
    title: "Approval insights: decisions per approver",
    description:
      "Per approver: approving decisions (partial N-of-M approvals included), rejections, edits, and seconds from the request to their decision (p50/p90). A request and its decision may sit in different regions' workspaces: the workbook queries them all.",
    visualization: "table",
    kql: `let audit = ${AUDIT}
| extend approvalId = tostring(Properties.approvalId), event_kind = tostring(Properties.kind), outcome = tostring(Properties.outcome), at = todatetime(Properties.recordTime);
let requests = audit
| where event_kind == "approval.requested"
| summarize requested = min(at) by approvalId;
let decisions = audit
| where event_kind == "approval.decided"
| join kind=leftouter requests on approvalId
| extend approver = coalesce(tostring(Properties.actor_username), tostring(Properties.actor_oid)), decision_seconds = (at - requested) / 1s;
decisions
| summarize approved = countif(outcome != "approval_rejected"), rejected = countif(outcome == "approval_rejected"), edits = countif(tostring(Properties.decisionAction) == "edit") by approver
| join kind=leftouter (decisions
    | where isnotnull(requested)
    | summarize decisions = count(), p50_seconds = percentile(decision_seconds, 50), p90_seconds = percentile(decision_seconds, 90) by approver) on approver
| project approver, approved, rejected, edits, decisions = coalesce(decisions, 0), p50_seconds, p90_seconds
| order by approved desc`,
  },
  {
    id: "denials-and-blocks",
    title: "Denials and blocks",
    description:
      "Calls refused by policy (no matching access rule, tool or arguments denied) or blocked by a guardrail.",
    visualization: "table",
    kql: `${AUDIT}
| extend outcome = tostring(Properties.outcome)
| where outcome in ("denied", "blocked")
| project TimeGenerated, actor = tostring(Properties.actor_username), actor_oid = tostring(Properties.actor_oid), server = tostring(Properties.server), method = tostring(Properties.method), name = tostring(Properties.name), outcome, code = tostring(Properties.code), ruleId = tostring(Properties.ruleId), event_kind = tostring(Properties.kind)
| order by TimeGenerated desc`,
  },
  {
    id: "masking-events",
    title: "Masking events",
    description:
      "Values masked in results and audit copies, by entity type, server and tool (counts only, never values).",
    visualization: "table",
    kql: `${AUDIT}
| extend counts = parse_json(tostring(Properties.maskingCounts))
| where array_length(bag_keys(counts)) > 0
| mv-expand entity = bag_keys(counts) to typeof(string)
| extend masked = tolong(counts[entity])
| summarize values_masked = sum(masked), records = dcount(tostring(Properties.recordId)) by entity, server = tostring(Properties.server), tool = tostring(Properties.name)
| order by values_masked desc`,
  },
  {
    id: "jit-grants",
    title: "Just-in-time grants",
    description: "JIT session requests, grants, denials and revocations, with the rule and approval behind each.",
    visualization: "table",
    kql: `${AUDIT}
| extend event_kind = tostring(Properties.kind)
| where event_kind startswith "jit."
| project TimeGenerated, event_kind, actor = tostring(Properties.actor_username), actor_oid = tostring(Properties.actor_oid), server = tostring(Properties.server), grantId = tostring(Properties.jitGrantId), outcome = tostring(Properties.outcome), ruleId = tostring(Properties.ruleId), approvalId = tostring(Properties.approvalId)
| order by TimeGenerated desc`,
  },
  {
    id: "policy-versions",
    title: "Policy versions over time",
    description:
      "Which policy bundle decided each period, and the git commit it was built from (review it in the pull request).",
    visualization: "table",
    kql: `${AUDIT}
| extend policyVersion = tostring(Properties.policyVersion), policyCommit = tostring(Properties.policyCommit)
| where isnotempty(policyVersion)
| summarize first_seen = min(TimeGenerated), last_seen = max(TimeGenerated), records = count(), chains = dcount(tostring(Properties.chainId)) by policyVersion, policyCommit
| order by first_seen asc`,
  },
  {
    id: "chain-anchors",
    title: "Chain anchors",
    description:
      "The latest anchored head of each hash chain: gatehouse audit verify compares the stored chains against these.",
    visualization: "table",
    kql: `AppTraces
| where Message == "gatehouse.anchor"
| extend chainId = tostring(Properties.chainId), seq = tolong(Properties.seq), hash = tostring(Properties.hash), reason = tostring(Properties.anchorReason)
| summarize arg_max(seq, hash, reason, TimeGenerated), anchors = count() by chainId, AppRoleInstance
| order by chainId asc`,
  },
  {
    id: "reconciliation-by-kind",
    title: "Reconciliation: records per kind and outcome per day",
    description: "Compare with the counts of gatehouse evidence reports and audit export for the same period.",
    visualization: "table",
    kql: `${AUDIT}
| summarize records = count() by day = startofday(TimeGenerated), event_kind = tostring(Properties.kind), outcome = tostring(Properties.outcome)
| order by day asc, event_kind asc, outcome asc`,
  },
  {
    id: "reconciliation-by-chain",
    title: "Reconciliation: sequence coverage per chain per day",
    description:
      "Records seen in Log Analytics against the chain's sequence range; missing_in_logs > 0 means telemetry dropped lines (the blob chain is authoritative).",
    visualization: "table",
    kql: `${AUDIT}
| extend chainId = tostring(Properties.chainId), seq = tolong(Properties.seq)
| summarize records = dcount(seq), first_seq = min(seq), last_seq = max(seq) by day = startofday(TimeGenerated), chainId
| extend missing_in_logs = last_seq - first_seq + 1 - records
| order by day asc, chainId asc`,
  },
  {
    id: "gateway-health",
    title: "Gateway requests and upstream calls",
    description: "Request volume, failures and latency of the gateway and agent, and of the calls they make.",
    visualization: "timechart",
    kql: `AppRequests
| summarize requests = count(), failures = countif(Success == false), p95_ms = percentile(DurationMs, 95) by bin(TimeGenerated, 1h), AppRoleName
| union (AppDependencies
    | summarize requests = count(), failures = countif(Success == false), p95_ms = percentile(DurationMs, 95) by bin(TimeGenerated, 1h), AppRoleName = strcat(AppRoleName, " → ", Target))
| order by TimeGenerated asc`,
  },
  {
    id: "audit-pipeline",
    title: "Audit pipeline metrics",
    description: "Audit records written and write failures (every failure refused a call: fail closed), and denials.",
    visualization: "timechart",
    kql: `AppMetrics
| where Name in ("gatehouse.audit.records", "gatehouse.audit.write_failures", "gatehouse.denials")
| summarize total = sum(Sum) by Name, bin(TimeGenerated, 1h)
| order by TimeGenerated asc`,
  },
  {
    id: "waf-blocks",
    title: "Edge: requests the WAF blocked",
    description:
      "Requests Front Door's WAF (Prevention mode) blocked or challenged before they reached the gateway, per rule and client address, per day (GATEHOUSE_EDGE=frontdoor; empty without it). The client address is Front Door's socket address, the one the gateway audits.",
    visualization: "table",
    kql: `AzureDiagnostics
| where ResourceProvider == "MICROSOFT.CDN" and Category == "FrontDoorWebApplicationFirewallLog"
| where action_s in ("Block", "JSChallenge", "CAPTCHA", "AnomalyScoring")
| summarize requests = count(), first_seen = min(TimeGenerated), last_seen = max(TimeGenerated) by day = bin(TimeGenerated, 1d), ruleName_s, action_s, socketIP_s, policyMode_s
| order by day desc, requests desc`,
  },
];
