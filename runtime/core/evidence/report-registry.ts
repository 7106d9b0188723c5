/** The fixed, versioned reports, by the name the CLI and the API use. */
import { accessReviewReport, ACCESS_REVIEW_REPORT } from "./access-review-report";
import { approvalsReport, APPROVALS_REPORT } from "./approvals-report";
import { approvalInsightsReport, APPROVAL_INSIGHTS_REPORT } from "./approval-insights-report";
import { entitlementsReport, ENTITLEMENTS_REPORT } from "./entitlements-report";
import { jitGrantsReport, JIT_GRANTS_REPORT } from "./jit-grants-report";
import { policyChangesReport, POLICY_CHANGES_REPORT } from "./policy-changes-report";
import type { ReportFn } from "./report-types";
import { sampleReport, SAMPLE_REPORT } from "./sample-report";
import { toolCallsReport, TOOL_CALLS_REPORT } from "./tool-calls-report";

export const REPORTS: Readonly<Record<string, { readonly version: string; readonly run: ReportFn }>> = {
  [TOOL_CALLS_REPORT.name]: { version: TOOL_CALLS_REPORT.version, run: toolCallsReport },
  [APPROVALS_REPORT.name]: { version: APPROVALS_REPORT.version, run: approvalsReport },
  [APPROVAL_INSIGHTS_REPORT.name]: { version: APPROVAL_INSIGHTS_REPORT.version, run: approvalInsightsReport },
  [JIT_GRANTS_REPORT.name]: { version: JIT_GRANTS_REPORT.version, run: jitGrantsReport },
  [ENTITLEMENTS_REPORT.name]: { version: ENTITLEMENTS_REPORT.version, run: entitlementsReport },
  [POLICY_CHANGES_REPORT.name]: { version: POLICY_CHANGES_REPORT.version, run: policyChangesReport },
  [ACCESS_REVIEW_REPORT.name]: { version: ACCESS_REVIEW_REPORT.version, run: accessReviewReport },
  [SAMPLE_REPORT.name]: { version: SAMPLE_REPORT.version, run: sampleReport },
};

export const REPORT_NAMES = Object.keys(REPORTS);

export function isReportName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(REPORTS, name);
}
