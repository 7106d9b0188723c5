/**
 * `access-review`: for each server, a CSV its owner fills in: every entitlement with its last
 * use and empty `decision` (keep | remove) and `reason` columns. The filled file goes back
 * through `gatehouse evidence access-review --record <decisions.csv>` (access-review-decisions.ts),
 * and a later `entitlements` snapshot shows whether removals happened.
 */
import { toCsv } from "./csv";
import { entitlementRows } from "./entitlements-report";
import type { ReportInput, ReportResult, Row } from "./report-types";

export const ACCESS_REVIEW_REPORT = { name: "access-review", version: "1.0.0" } as const;

export const ACCESS_REVIEW_COLUMNS = [
  "entitlementId",
  "server",
  "ruleId",
  "principalType",
  "principal",
  "mode",
  "toolsAllowed",
  "toolsDenied",
  "lastUsedAt",
  "lastUsedBy",
  "useCountInPeriod",
  "lastReviewDecision",
  "lastReviewedAt",
  "policyVersion",
  "decision",
  "reason",
] as const;

export function accessReviewFileName(server: string): string {
  return `access-review-${server}.csv`;
}

export function accessReviewReport(input: ReportInput): ReportResult {
  const { rows, bundle, exceptions } = entitlementRows(input);
  const reviewRows: Row[] = rows.map((r) => ({ ...r, decision: null, reason: null }));
  const servers = new Set<string>(bundle?.servers.map((s) => s.name) ?? []);
  for (const r of reviewRows) servers.add(String(r.server));
  const extraFiles = [...servers].sort().map((server) => ({
    name: accessReviewFileName(server),
    content: toCsv(
      ACCESS_REVIEW_COLUMNS,
      reviewRows.filter((r) => r.server === server),
    ),
    columns: ACCESS_REVIEW_COLUMNS,
  }));
  return {
    report: ACCESS_REVIEW_REPORT.name,
    version: ACCESS_REVIEW_REPORT.version,
    columns: ACCESS_REVIEW_COLUMNS,
    rows: reviewRows,
    exceptions,
    extraFiles,
  };
}
