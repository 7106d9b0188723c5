/** Every column of every report is explained in the package README (issue 19, item 9). */
import { ACCESS_REVIEW_COLUMNS } from "../../../runtime/core/evidence/access-review-report";
import { APPROVALS_COLUMNS } from "../../../runtime/core/evidence/approvals-report";
import { APPROVAL_INSIGHTS_COLUMNS } from "../../../runtime/core/evidence/approval-insights-report";
import { describeColumn, isTimeColumn } from "../../../runtime/core/evidence/column-dictionary";
import { toCsv } from "../../../runtime/core/evidence/csv";
import { ENTITLEMENTS_COLUMNS } from "../../../runtime/core/evidence/entitlements-report";
import { JIT_GRANTS_COLUMNS } from "../../../runtime/core/evidence/jit-grants-report";
import { POLICY_CHANGES_COLUMNS } from "../../../runtime/core/evidence/policy-changes-report";
import { EXCEPTION_COLUMNS } from "../../../runtime/core/evidence/report-types";
import { SAMPLE_COLUMNS } from "../../../runtime/core/evidence/sample-report";
import { TOOL_CALLS_COLUMNS } from "../../../runtime/core/evidence/tool-calls-report";

const REPORT_COLUMNS: Record<string, readonly string[]> = {
  "tool-calls": TOOL_CALLS_COLUMNS,
  approvals: APPROVALS_COLUMNS,
  "approval-insights": APPROVAL_INSIGHTS_COLUMNS,
  "jit-grants": JIT_GRANTS_COLUMNS,
  entitlements: ENTITLEMENTS_COLUMNS,
  "policy-changes": POLICY_CHANGES_COLUMNS,
  "access-review": ACCESS_REVIEW_COLUMNS,
  sample: SAMPLE_COLUMNS,
  exceptions: EXCEPTION_COLUMNS,
};

test("every column of every report has a description", () => {
  const missing = Object.entries(REPORT_COLUMNS).flatMap(([report, cols]) =>
    cols.filter((c) => !describeColumn(report, c)).map((c) => `${report}.${c}`),
  );
  expect(missing).toEqual([]);
});

test("time columns say UTC in the CSV header; others keep their name", () => {
  expect(["time", "requestedAt", "lastUsedAt", "firstSeen"].every(isTimeColumn)).toBe(true);
  expect(["eventId", "approvalId", "consumedCount", "state"].some(isTimeColumn)).toBe(false);
  expect(toCsv(["eventId", "time"], [{ eventId: "e", time: "2026-11-28T00:00:00.000Z" }]).split("\r\n")[0]).toBe(
    "eventId,time (UTC)",
  );
});
