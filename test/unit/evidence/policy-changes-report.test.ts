import { policyChangesReport } from "../../../runtime/core/evidence/policy-changes-report";
import { ALICE, TrailBuilder, call, testBundle } from "./trail-fixture";

const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
const v1 = testBundle({ commit: "c0ffee1" });
const v2 = testBundle({ commit: "deadbee", maxMinutes: 30 });

function trail(): TrailBuilder {
  const t = new TrailBuilder();
  t.add("gw-1", 0, call(v1, ALICE, "files", "read", "allowed"));
  t.add("gw-2", 5, call(v1, ALICE, "files", "read", "allowed"));
  t.add("gw-1", 60, call(v2, ALICE, "files", "read", "allowed"));
  t.add("gw-1", 61, call(v2, ALICE, "files", "read", "allowed"));
  return t;
}

describe("policy-changes report", () => {
  test("Compliance: each version with its commit, first and last seen, verified against the repository", () => {
    const r = policyChangesReport({ chains: trail().chains, bundles: [v2, v1], period, commitCheck: () => "found" });
    expect(
      r.rows.map((x) => [x.policyVersion, x.commit, x.commitStatus, x.firstSeen, x.lastSeen, x.recordCount, x.chains]),
    ).toEqual([
      [v1.version, "c0ffee1", "found", "2026-03-01T10:00:00.000Z", "2026-03-01T10:05:00.000Z", 2, "gw-1 gw-2"],
      [v2.version, "deadbee", "found", "2026-03-01T11:00:00.000Z", "2026-03-01T11:01:00.000Z", 2, "gw-1"],
    ]);
    expect(r.exceptions).toEqual([]);
  });

  test("without a repository the commit is unverifiable, not an exception", () => {
    const r = policyChangesReport({ chains: trail().chains, bundles: [], period });
    expect(r.rows.map((x) => x.commitStatus)).toEqual(["unverifiable", "unverifiable"]);
    expect(r.exceptions).toEqual([]);
  });

  test("Noncompliance 1: a version whose commit is not in the repository", () => {
    const r = policyChangesReport({
      chains: trail().chains,
      bundles: [],
      period,
      commitCheck: (c) => (c === "deadbee" ? "missing" : "found"),
    });
    expect(r.exceptions.map((e) => [e.kind, e.subject])).toEqual([["policy_commit_not_found", v2.version]]);
  });

  test("Noncompliance 2: a version with no commit at all", () => {
    const t = new TrailBuilder();
    const none = testBundle({ commit: null });
    t.add("gw-1", 0, call(none, ALICE, "files", "read", "allowed"));
    const r = policyChangesReport({ chains: t.chains, bundles: [], period, commitCheck: () => "found" });
    expect(r.rows[0]).toMatchObject({ commit: null, commitStatus: "none" });
    expect(r.exceptions.map((e) => e.kind)).toEqual(["policy_version_without_commit"]);
  });

  test("Noncompliance 3: one version attributed to two commits", () => {
    const t = trail();
    t.add("gw-2", 7, { ...call(v1, ALICE, "files", "read", "allowed"), policyCommit: "other" });
    const r = policyChangesReport({ chains: t.chains, bundles: [], period, commitCheck: () => "found" });
    expect(r.exceptions.map((e) => e.kind)).toEqual(["policy_version_commit_conflict"]);
  });
});
