/**
 * `policy-changes`: every policy bundle version seen in the period's records, the commit it came
 * from, and when it was first and last seen. Exceptions:
 * - `policy_version_without_commit`: no record and no supplied bundle names a commit;
 * - `policy_commit_not_found`: the commit is not in the policy repository (`git cat-file -e`);
 * - `policy_version_commit_conflict`: records name more than one commit for one version.
 * Without a repository the commit column says `unverifiable` (not an exception: the check did not run).
 */
import type { AuditRecord } from "../audit/record-schema";
import { compareRecords } from "./call-index";
import { recordsInPeriod } from "./period";
import type { EvidenceException, ReportInput, ReportResult, Row } from "./report-types";
import { pushTo } from "./multimap";

export const POLICY_CHANGES_REPORT = { name: "policy-changes", version: "1.0.0" } as const;

export const POLICY_CHANGES_COLUMNS = [
  "policyVersion",
  "commit",
  "commitStatus",
  "firstSeen",
  "lastSeen",
  "recordCount",
  "chains",
  "firstEventId",
  "lastEventId",
  "bundleSupplied",
] as const;

export function policyChangesReport(input: ReportInput): ReportResult {
  const recs = recordsInPeriod(input.chains, input.period).sort(compareRecords);
  const byVersion = new Map<string, AuditRecord[]>();
  for (const r of recs) {
    if (!r.policyVersion) continue;
    pushTo(byVersion, r.policyVersion, r);
  }
  const rows: Row[] = [];
  const exceptions: EvidenceException[] = [];
  for (const [version, list] of byVersion) {
    const first = list[0];
    const last = list[list.length - 1];
    const bundle = input.bundles.find((b) => b.version === version);
    const commits = new Set(list.map((r) => r.policyCommit).filter((c): c is string => !!c));
    if (bundle?.commit) commits.add(bundle.commit);
    const at = (kind: string, message: string, rec: AuditRecord = first) =>
      exceptions.push({ kind, message, eventIds: [rec.id], chainId: rec.chainId, seq: rec.seq, subject: version });
    let commit: string | null = null;
    let status: string;
    if (commits.size === 0) {
      status = "none";
      at(
        "policy_version_without_commit",
        `policy version ${version} was in force but no record or bundle names the commit it came from`,
      );
    } else {
      if (commits.size > 1)
        at(
          "policy_version_commit_conflict",
          `policy version ${version} is attributed to ${commits.size} commits: ${[...commits].join(", ")}`,
        );
      commit = [...commits][0];
      const checks = [...commits].map((c) => ({
        c,
        s: input.commitCheck ? input.commitCheck(c) : ("unverifiable" as const),
      }));
      status = checks.some((x) => x.s === "missing")
        ? "missing"
        : checks.every((x) => x.s === "found")
          ? "found"
          : "unverifiable";
      for (const x of checks.filter((y) => y.s === "missing"))
        at(
          "policy_commit_not_found",
          `policy version ${version} names commit ${x.c}, which is not in the policy repository`,
        );
    }
    rows.push({
      policyVersion: version,
      commit,
      commitStatus: status,
      firstSeen: first.time,
      lastSeen: last.time,
      recordCount: list.length,
      chains: [...new Set(list.map((r) => r.chainId))].sort().join(" "),
      firstEventId: first.id,
      lastEventId: last.id,
      bundleSupplied: bundle !== undefined,
    });
  }
  return {
    report: POLICY_CHANGES_REPORT.name,
    version: POLICY_CHANGES_REPORT.version,
    columns: POLICY_CHANGES_COLUMNS,
    rows,
    exceptions,
  };
}
