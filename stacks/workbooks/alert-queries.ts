/** KQL of the alert rules (stacks/alerts.ts), checked with the workbook's queries. */

/** Audit write failures, from the metric and from the error log line (either is enough). */
export const AUDIT_WRITE_FAILURES_KQL = `let fromMetric = AppMetrics
| where Name == "gatehouse.audit.write_failures"
| summarize failures = sum(Sum);
let fromLog = AppTraces
| where Message == "gatehouse.audit.write_failed"
| summarize failures = todouble(count());
union fromMetric, fromLog
| summarize failures = sum(failures)`;

/** Calls denied or blocked by policy in the evaluation window. */
export const DENIAL_SPIKE_KQL = `AppTraces
| where Message == "gatehouse.audit"
| where tostring(Properties.outcome) in ("denied", "blocked")
| summarize denials = count()`;
