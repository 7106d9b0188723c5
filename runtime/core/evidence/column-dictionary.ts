/**
 * What every column of every evidence file means, for the README inside each package (an audit
 * firm receives the zip without this repository). One glossary: a column name means the same in
 * every report; a report-specific meaning is keyed `<report>.<column>`. A unit test checks that
 * every column of every report is described here, so a new column cannot ship undocumented.
 */

/** Time columns: ISO-8601 instants in UTC (suffix `Z`); their CSV header says `(UTC)`. */
export function isTimeColumn(column: string): boolean {
  return column === "time" || column === "firstSeen" || column === "lastSeen" || /[a-z]At$/.test(column);
}

export const COLUMN_GLOSSARY: Readonly<Record<string, string>> = {
  eventId:
    "id of the audit record the row is keyed on (search it in the trail, or pass it to `gatehouse evidence sample --ids`)",
  time: "when the gateway recorded the first request record of the call",
  chainId: "the hash chain (one per gateway replica or CLI host) holding that record",
  seq: "the record's position in its chain (0 = first)",
  correlationId: "groups the request, response and approval records of one call",
  actorOid: "Entra object id of the caller",
  actorUsername: "the caller's username (UPN)",
  via: "how the caller authenticated: entra (Entra ID token) or jit (gateway-issued just-in-time session)",
  jitGrantId: "the just-in-time grant the call was made under, if any",
  server: "the MCP server (as named in the policy bundle)",
  tool: "the MCP tool",
  arguments:
    "the call's arguments as the audit record holds them: MASKED with the audit policy, canonical JSON (RFC 8785)",
  argumentsSha256: "sha256 of the `arguments` text (recompute it to check; equal hashes = equal masked arguments)",
  decision:
    "the gateway's final decision: allowed, denied, blocked, approval_requested, approval_approved, approval_rejected, approval_expired",
  ruleId: "the policy rule that decided (access rule, guardrail or approval rule id)",
  code: "the stable refusal or error code, e.g. ERR_APPROVAL_PENDING (see docs/evidence.md)",
  executed: "true when the call was forwarded to the MCP server (recorded durably before forwarding)",
  resultStatus: "what came back: ok, error, withheld, none",
  approvalId: "the human approval the call or grant depended on",
  approvers:
    "who had approved (usernames, space-separated); for a call, only approvals recorded before the call was decided",
  rejectedBy: "who rejected the approval (usernames, space-separated)",
  justification: "the requester's stated reason",
  policyVersion: "sha256 version of the policy bundle the record was decided under",
  policyCommit: "git commit the policy bundle was built from",
  responseEventId: "id of the call's last response record",
  actorKind: "user (a person) or app (a machine identity with a client-credentials token; docs/identity.md)",
  actorAppId: "for an app: its client id (azp/appid); empty for a person",
  requestedAt: "when the request was recorded",
  requesterOid: "Entra object id of the requester",
  requesterUsername: "the requester's username",
  argsHash:
    "sha256 of the canonical UNMASKED arguments the approval is bound to (differs from tool-calls' argumentsSha256 by design)",
  state: "final state: pending, approved, rejected, expired (jit-grants: requested, granted, denied, revoked, expired)",
  decidedAt: "when the first decision (approve or reject) was recorded",
  reasons: "the deciders' reasons, ` | `-separated",
  expiresAt: "when the request (or grant) expires",
  expiredAt: "when the expiry was recorded",
  consumedAt: "when the approved call ran (the approval was used)",
  consumedCount: "how many times the approval was used (more than 1 is an exception)",
  grantId: "the just-in-time grant id",
  reason: "the requester's reason (access-review: the reviewer's reason, to fill in)",
  grantedAt: "when the grant was recorded",
  minutes: "granted duration in minutes",
  deniedAt: "when the denial was recorded",
  deniedReason: "why the grant was denied",
  revokedAt: "when the grant was revoked",
  revokedBy: "who revoked it",
  revokeReason: "why it was revoked",
  callCount: "tool calls made under the grant in the period",
  lastUsedAt: "last call under this entitlement in the period",
  entitlementId: "stable id of one (server, rule, principal) entitlement",
  principalType: "role or group",
  principal: "the app role or group name (or object id) the rule grants",
  mode: "standing, or jit (just-in-time, time-boxed)",
  jitMaxMinutes: "longest just-in-time grant the rule allows",
  jitGrant: "how a just-in-time grant is given: on-request or approval",
  toolsAllowed: "tool patterns the rule allows",
  toolsDenied: "tool patterns the rule denies",
  argumentConstraints: "argument predicates of the rule",
  lastUsedBy: "who made the last call under this entitlement",
  useCountInPeriod: "calls under this entitlement in the period",
  lastReviewDecision: "the latest access-review decision (keep or remove)",
  lastReviewedAt: "when that decision was recorded",
  lastReviewer: "who made it",
  commit: "git commit of the policy version",
  commitStatus: "found / missing in the policy repository, or unverifiable (no repository given)",
  firstSeen: "first record decided under this version in the period",
  lastSeen: "last record decided under this version in the period",
  recordCount: "records decided under this version in the period",
  chains: "chains holding those records",
  firstEventId: "id of the first such record",
  lastEventId: "id of the last such record",
  bundleSupplied: "whether the bundle itself was supplied to the report (rules then checked)",
  kind: "audit record kind (sample), or exception kind (exceptions files)",
  outcome: "the record's decision outcome",
  rulesInForce: "policy rules that applied to the sampled event",
  proofStatus: "covered (the chain proof reaches a signed checkpoint), after-last-checkpoint, or unanchored",
  checkpointSeq: "seq of the signed checkpoint the proof ends at",
  checkpointHash: "chain hash signed by that checkpoint",
  proofLength: "records in the chain proof",
  "approval-insights.dimension":
    "what the row counts: all (every approval requested in the period), rule (per approval rule) or approver (the decisions one approver recorded)",
  "approval-insights.subject": "the rule id, the approver's username, or `all`",
  "approval-insights.requests": "approvals requested in the period (empty on approver rows)",
  "approval-insights.approved":
    "approvals whose final state is approved; on approver rows, approving decisions the approver recorded (partial N-of-M approvals included)",
  "approval-insights.rejected": "approvals rejected; on approver rows, rejections the approver recorded",
  "approval-insights.expired": "approvals that expired undecided (empty on approver rows)",
  "approval-insights.pending": "approvals still undecided at the end of the trail (empty on approver rows)",
  "approval-insights.edits":
    "approvers' edits of the held call's arguments (approval.decided records with details.action edit; an edit also approves the edited call)",
  "approval-insights.decisions": "decisions timed: the sample size of the two percentiles",
  "approval-insights.decisionP50Seconds":
    "median seconds from the request to the settling decision (approver rows: to the approver's own decision), nearest-rank; empty with no timed decision",
  "approval-insights.decisionP90Seconds": "90th percentile of the same, nearest-rank",
  "sample.time": "when the sampled record was written",
  "access-review.decision": "TO FILL IN by the reviewer: keep or remove",
  "access-review.reason": "TO FILL IN by the reviewer: why",
  "exceptions.message": "what is wrong, in words",
  "exceptions.eventIds": "audit record ids the finding is about (space-separated)",
  "exceptions.chainId": "chain of the first of those records",
  "exceptions.seq": "seq of the first of those records",
  "exceptions.subject": "what the finding is about (approval id, rule id, grant id, policy version)",
};

/** The description of `column` in `report` (`exceptions` for the exceptions files), or null. */
export function describeColumn(report: string, column: string): string | null {
  const d = COLUMN_GLOSSARY[`${report}.${column}`] ?? COLUMN_GLOSSARY[column];
  return d ? d : null;
}
