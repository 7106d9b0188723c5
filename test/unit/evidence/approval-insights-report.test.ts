import {
  APPROVAL_INSIGHTS_COLUMNS,
  approvalInsightsReport,
  nearestRank,
} from "../../../runtime/core/evidence/approval-insights-report";
import { BOB, TrailBuilder, approvalEvent, testBundle } from "./trail-fixture";
import { EXPECTED_INSIGHT_ROWS, insightSteps } from "./insights-fixture";

const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
const b = testBundle();

function trail(): TrailBuilder {
  const t = new TrailBuilder();
  for (const s of insightSteps(b)) t.add(s.chain, s.minute, s.event);
  return t;
}

const asCells = (rows: readonly Record<string, unknown>[]) =>
  rows.map((r) => APPROVAL_INSIGHTS_COLUMNS.map((c) => r[c]));

describe("approval-insights report", () => {
  test("time to decision (nearest-rank p50/p90), expiries, rejections by rule and decisions per approver", () => {
    const r = approvalInsightsReport({ chains: trail().chains, bundles: [b], period });
    expect(r.exceptions).toEqual([]);
    expect(asCells(r.rows)).toEqual(EXPECTED_INSIGHT_ROWS);
  });

  test("approvals requested outside the period are left out", () => {
    const r = approvalInsightsReport({
      chains: trail().chains,
      bundles: [b],
      period: { from: "2026-03-01T10:03:00.000Z", to: "2026-03-02T00:00:00.000Z" },
    });
    // ap-5..ap-8 were requested from minute 3 on.
    expect(r.rows[0]).toMatchObject({ dimension: "all", requests: 4, expired: 1, pending: 1 });
  });

  test("an approver's edit (approval.decided, action edit) counts as an edit, per rule and per approver", () => {
    const t = trail();
    const edit = approvalEvent(b, "approval.decided", BOB, "ap-1", {});
    t.add("gw-a", 1.5, { ...edit, details: { ...edit.details, action: "edit" } });
    const r = approvalInsightsReport({ chains: t.chains, bundles: [b], period });
    const row = (dimension: string, subject: string) =>
      r.rows.find((x) => x.dimension === dimension && x.subject === subject);
    expect(row("all", "all")).toMatchObject({ edits: 1, approved: 4, decisions: 6 });
    expect(row("rule", "delete-customer")).toMatchObject({ edits: 1 });
    expect(row("rule", "export-data")).toMatchObject({ edits: 0 });
    // The edit also approves the edited call: one more decision of bob's.
    expect(row("approver", BOB.username)).toMatchObject({ edits: 1, approved: 5 });
  });

  test("an empty trail gives zero counts and no percentiles", () => {
    const r = approvalInsightsReport({ chains: new Map(), bundles: [b], period });
    expect(asCells(r.rows)).toEqual([["all", "all", 0, 0, 0, 0, 0, 0, 0, null, null]]);
  });

  test("nearest-rank percentiles are actual values of the sample", () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([5], 90)).toBe(5);
    expect(nearestRank([4, 1, 3, 2], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });
});
