/**
 * Known approval decisions for the approval-insights report, as (chain, minute, event) steps, and
 * the figures they must give: the unit test feeds them to the report directly, the integration
 * test writes them through the real blob audit sink on Azurite and runs the CLI.
 *
 * Settling decision times (seconds): delete-customer 120, 300, 600, 600; export-data 1800, 60
 * (one expired, one pending). All six sorted: 60 120 300 600 600 1800 -> nearest-rank p50 = 3rd
 * = 300, p90 = 6th = 1800. ap-8 is a 2-of-N approval: carol's partial approval after 1 minute
 * does not settle it, bob's after 10 does.
 */
import type { AuditEventInput } from "../../../runtime/core/audit/record-schema";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import { ALICE, BOB, approvalEvent } from "./trail-fixture";

export const CAROL = { ...BOB, oid: "ca401", username: "carol@gatehouse.local" };

export interface InsightStep {
  readonly chain: "gw-a" | "gw-b";
  readonly minute: number;
  readonly event: AuditEventInput;
}

type Kind = "approval.requested" | "approval.decided" | "approval.expired";

export function insightSteps(b: PolicyBundle): InsightStep[] {
  const ev = (
    kind: Kind,
    who: typeof BOB,
    id: string,
    rule: string,
    outcome?: "approval_approved" | "approval_rejected" | "info",
  ): AuditEventInput => {
    const e = approvalEvent(b, kind, who, id, kind === "approval.decided" ? { requester: ALICE } : {});
    return { ...e, decision: { ...e.decision, ruleId: rule, ...(outcome ? { outcome } : {}) } };
  };
  const del = "delete-customer";
  const exp = "export-data";
  return [
    { chain: "gw-a", minute: 0, event: ev("approval.requested", ALICE, "ap-1", del) },
    { chain: "gw-a", minute: 0, event: ev("approval.requested", ALICE, "ap-2", del) },
    { chain: "gw-a", minute: 1, event: ev("approval.requested", ALICE, "ap-3", del) },
    { chain: "gw-a", minute: 2, event: ev("approval.requested", ALICE, "ap-4", exp) },
    { chain: "gw-a", minute: 2, event: ev("approval.decided", BOB, "ap-1", del) },
    { chain: "gw-b", minute: 3, event: ev("approval.requested", ALICE, "ap-5", exp) },
    { chain: "gw-b", minute: 4, event: ev("approval.requested", ALICE, "ap-6", exp) },
    { chain: "gw-a", minute: 5, event: ev("approval.decided", BOB, "ap-2", del) },
    { chain: "gw-b", minute: 5, event: ev("approval.decided", BOB, "ap-6", exp, "approval_rejected") },
    { chain: "gw-b", minute: 5, event: ev("approval.requested", ALICE, "ap-7", exp) },
    { chain: "gw-a", minute: 6, event: ev("approval.requested", ALICE, "ap-8", del) },
    { chain: "gw-a", minute: 7, event: ev("approval.decided", CAROL, "ap-8", del, "info") },
    { chain: "gw-b", minute: 11, event: ev("approval.decided", CAROL, "ap-3", del, "approval_rejected") },
    { chain: "gw-a", minute: 16, event: ev("approval.decided", BOB, "ap-8", del) },
    { chain: "gw-b", minute: 18, event: ev("approval.expired", ALICE, "ap-5", exp) },
    // Requested on one chain, decided on the other (another replica or region).
    { chain: "gw-b", minute: 32, event: ev("approval.decided", BOB, "ap-4", exp) },
  ];
}

/** The report's rows for insightSteps, in its order (all, rules, approvers), as CSV cells. */
export const EXPECTED_INSIGHT_ROWS: readonly (string | number | null)[][] = [
  // dimension, subject, requests, approved, rejected, expired, pending, edits, decisions, p50, p90
  ["all", "all", 8, 4, 2, 1, 1, 0, 6, 300, 1800],
  ["rule", "delete-customer", 4, 3, 1, 0, 0, 0, 4, 300, 600],
  ["rule", "export-data", 4, 1, 1, 1, 1, 0, 2, 60, 1800],
  // bob: 120 300 1800 600 and a rejection after 60; carol: a partial approval after 60, a rejection after 600.
  ["approver", BOB.username, null, 4, 1, null, null, 0, 5, 300, 1800],
  ["approver", CAROL.username, null, 1, 1, null, null, 0, 2, 60, 600],
];
