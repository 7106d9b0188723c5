import { jitGrantsReport } from "../../../runtime/core/evidence/jit-grants-report";
import { ALICE, BOB, TrailBuilder, approvalEvent, call, jitEvent, testBundle } from "./trail-fixture";

const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
const b = testBundle({ maxMinutes: 60 });
const requester = { oid: ALICE.oid, username: ALICE.username };

describe("jit-grants report", () => {
  test("Compliance: a grant within its rule, with a reason, used and revoked", () => {
    const t = new TrailBuilder();
    t.add(
      "gw-1",
      0,
      jitEvent(b, "jit.requested", ALICE, "g-1", {
        ruleId: "customers-admin",
        server: "customers",
        minutes: 30,
        reason: "INC-7",
      }),
    );
    t.add("gw-1", 1, {
      ...jitEvent(b, "jit.granted", BOB, "g-1", {
        ruleId: "customers-admin",
        server: "customers",
        minutes: 30,
        requester,
        expiresAt: "2026-03-01T10:31:00.000Z",
      }),
      decision: { outcome: "info", approvers: [{ oid: BOB.oid, username: BOB.username }] },
    });
    t.add(
      "gw-1",
      5,
      call(b, ALICE, "customers", "get_customer", "allowed", {
        correlationId: "c-1",
        via: "jit",
        grantId: "g-1",
        ruleId: "customers-admin",
      }),
    );
    t.add("gw-1", 9, { ...jitEvent(b, "jit.revoked", BOB, "g-1", {}), decision: { outcome: "info", reason: "done" } });
    const r = jitGrantsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions).toEqual([]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({
      grantId: "g-1",
      requesterUsername: ALICE.username,
      server: "customers",
      ruleId: "customers-admin",
      reason: "INC-7",
      state: "revoked",
      minutes: 30,
      approvers: BOB.username,
      revokedBy: BOB.username,
      revokeReason: "done",
      callCount: 1,
    });
  });

  test("Noncompliance 1: a grant longer than its rule allows is flagged", () => {
    const t = new TrailBuilder();
    t.add(
      "gw-1",
      0,
      jitEvent(b, "jit.granted", ALICE, "g-2", { ruleId: "customers-admin", minutes: 240, reason: "INC-8" }),
    );
    const r = jitGrantsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions.map((e) => [e.kind, e.subject])).toEqual([["jit_longer_than_rule", "g-2"]]);
  });

  test("Noncompliance 2: a grant without a reason is flagged; its duration comes from expiresAt", () => {
    const t = new TrailBuilder();
    t.add(
      "gw-1",
      0,
      jitEvent(b, "jit.granted", ALICE, "g-3", {
        ruleId: "customers-admin",
        reason: "  ",
        expiresAt: "2026-03-01T12:00:00.000Z",
      }),
    );
    const r = jitGrantsReport({ chains: t.chains, bundles: [b], period });
    expect(r.rows[0].minutes).toBe(120);
    expect(r.exceptions.map((e) => e.kind).sort()).toEqual(["jit_longer_than_rule", "jit_without_reason"]);
  });

  test("Noncompliance 3: a grant naming a rule no supplied bundle has is unverifiable", () => {
    const t = new TrailBuilder();
    t.add("gw-1", 0, jitEvent(b, "jit.granted", ALICE, "g-4", { ruleId: "gone", minutes: 5, reason: "x" }));
    const r = jitGrantsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions.map((e) => e.kind)).toEqual(["jit_rule_unverifiable"]);
  });

  test("a denied request is listed and not flagged", () => {
    const t = new TrailBuilder();
    t.add("gw-1", 0, jitEvent(b, "jit.requested", ALICE, "g-5", { ruleId: "customers-admin", minutes: 600 }));
    t.add("gw-1", 1, jitEvent(b, "jit.denied" as never, BOB, "g-5", {}));
    const r = jitGrantsReport({ chains: t.chains, bundles: [b], period });
    expect(r.rows.map((x) => x.state)).toEqual(["denied"]);
    expect(r.exceptions).toEqual([]);
  });

  test("the approvals engineer's shape: request without a grant id, reason in decision.reason, approvers from the approval", () => {
    const t = new TrailBuilder();
    const asAlice = (kind: "jit.requested" | "jit.granted", grantId: string | null, extra: object) => ({
      ...jitEvent(b, kind, ALICE, grantId ?? "", { minutes: 30 }),
      session: { jitGrantId: grantId },
      decision: {
        outcome: kind === "jit.granted" ? ("allowed" as const) : ("info" as const),
        ruleId: "customers-admin",
        reason: "INC-9",
        ...extra,
      },
    });
    t.add("gw-1", 0, asAlice("jit.requested", null, {}));
    t.add("gw-1", 0.1, approvalEvent(b, "approval.requested", ALICE, "ap-j", {}));
    t.add("gw-1", 1, approvalEvent(b, "approval.decided", BOB, "ap-j", { requester: ALICE }));
    t.add("gw-1", 1.1, asAlice("jit.granted", "g-9", { approvalId: "ap-j" }));
    const r = jitGrantsReport({ chains: t.chains, bundles: [b], period });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({
      grantId: "g-9",
      requestedAt: "2026-03-01T10:00:00.000Z",
      reason: "INC-9",
      approvalId: "ap-j",
      approvers: BOB.username,
      state: "granted",
      requesterUsername: ALICE.username,
    });
    expect(r.exceptions).toEqual([]);
  });
});
