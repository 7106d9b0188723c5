import { sampleReport } from "../../../runtime/core/evidence/sample-report";
import { ALICE, BOB, TrailBuilder, approvalEvent, call, response, testBundle } from "./trail-fixture";

const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
const b = testBundle();

function trail() {
  const t = new TrailBuilder();
  const req = t.add(
    "gw-1",
    0,
    call(b, ALICE, "customers", "delete_customer", "approval_requested", {
      correlationId: "c-1",
      approvalId: "ap-1",
      ruleId: "delete-customer",
    }),
  );
  t.add("gw-1", 0.5, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
  t.add("gw-1", 1, approvalEvent(b, "approval.decided", BOB, "ap-1", { requester: ALICE }));
  t.add("gw-1", 2, response(b, ALICE, "c-1"));
  const late = t.add("gw-1", 3, call(b, ALICE, "files", "read", "allowed"));
  return { t, req, late };
}

describe("sample report", () => {
  test("a sampled call comes with its records, approval, rules in force and a proof to the covering checkpoint", () => {
    const { t, req, late } = trail();
    const chain = t.chains.get("gw-1")!;
    const checkpoints = [{ chainId: "gw-1", seq: 3, hash: chain[3].hash, raw: { signed: "sig" } }];
    const r = sampleReport({ chains: t.chains, bundles: [b], period, checkpoints, ids: [req.id, late.id, "nope"] });
    expect(
      r.rows.map((x) => [x.eventId, x.approvalId, x.rulesInForce, x.proofStatus, x.checkpointSeq, x.proofLength]),
    ).toEqual([
      [req.id, "ap-1", "delete-customer", "covered", 3, 4],
      [late.id, null, "engineers", "after-last-checkpoint", 3, 2],
    ]);
    const doc = r.documents![0] as {
      record: unknown;
      approval: { decided: unknown[] };
      proof: { checkpoint: unknown; records: { seq: number }[] };
    };
    expect(doc.record).toBe(req);
    expect(doc.approval.decided).toHaveLength(1);
    expect(doc.proof.checkpoint).toEqual({ signed: "sig" });
    expect(doc.proof.records.map((x) => x.seq)).toEqual([0, 1, 2, 3]);
    expect(r.exceptions.map((e) => e.kind)).toEqual(["sample_not_found"]);
  });

  test("without checkpoints the proof runs from the chain start and says so", () => {
    const { t, late } = trail();
    const r = sampleReport({ chains: t.chains, bundles: [], period, ids: [late.id] });
    expect(r.rows[0]).toMatchObject({ proofStatus: "unanchored", proofLength: 5, rulesInForce: "bundle not supplied" });
    expect(r.exceptions.map((e) => e.kind)).toEqual(["sample_policy_unavailable"]);
  });
});
