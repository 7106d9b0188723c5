import { approvalsReport } from "../../../runtime/core/evidence/approvals-report";
import { toolCallsReport } from "../../../runtime/core/evidence/tool-calls-report";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import { sha256Hex } from "../../../runtime/core/policy-model/canonical-json";
import { ALICE, BOB, TrailBuilder, approvalEvent, call, response, testBundle } from "./trail-fixture";

const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
const b = testBundle();

/** A healthy approval flow: requested, approved by bob, consumed once, executed after approval. */
function healthy(t: TrailBuilder, id: string, corr: string, at: number) {
  t.add(
    "gw-1",
    at,
    call(b, ALICE, "customers", "delete_customer", "approval_requested", {
      correlationId: corr,
      approvalId: id,
      ruleId: "delete-customer",
    }),
  );
  t.add("gw-1", at + 0.1, approvalEvent(b, "approval.requested", ALICE, id, { correlationId: corr }));
  t.add("gw-1", at + 1, approvalEvent(b, "approval.decided", BOB, id, { requester: ALICE, reason: "ok" }));
  t.add("gw-1", at + 1.1, approvalEvent(b, "approval.consumed", ALICE, id, { correlationId: corr }));
  t.add("gw-1", at + 1.2, response(b, ALICE, corr));
}

describe("approvals report", () => {
  test("Compliance: a healthy trail lists every approval and has no exceptions", () => {
    const t = new TrailBuilder();
    healthy(t, "ap-1", "c-1", 0);
    healthy(t, "ap-2", "c-2", 10);
    t.add("gw-1", 20, call(b, ALICE, "customers", "get_customer", "allowed", { correlationId: "c-3" }));
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions).toEqual([]);
    expect(r.rows.map((x) => [x.approvalId, x.state, x.requesterUsername, x.approvers, x.consumedCount])).toEqual([
      ["ap-1", "approved", ALICE.username, BOB.username, 1],
      ["ap-2", "approved", ALICE.username, BOB.username, 1],
    ]);
    const calls = toolCallsReport({ chains: t.chains, bundles: [b], period });
    expect(
      calls.rows.map((x) => [x.correlationId, x.decision, x.executed, x.approvalId, x.approvers, x.justification]),
    ).toEqual([
      ["c-1", "approval_approved", true, "ap-1", BOB.username, "ticket 42"],
      ["c-2", "approval_approved", true, "ap-2", BOB.username, "ticket 42"],
      ["c-3", "allowed", true, null, "", null],
    ]);
  });

  test("an approver's edit resets the approvers: who approved the earlier version is not listed", () => {
    const carol = { ...BOB, oid: "ca201", username: "carol@gatehouse.local" };
    const t = new TrailBuilder();
    t.add("gw-1", 0, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
    // bob approves the original (a partial approval of a 2-of-N rule), carol edits and approves the edited call.
    t.add("gw-1", 1, {
      ...approvalEvent(b, "approval.decided", BOB, "ap-1", { requester: ALICE }),
      decision: { ...approvalEvent(b, "approval.decided", BOB, "ap-1").decision, outcome: "info" },
    });
    const edit = approvalEvent(b, "approval.decided", carol, "ap-1", { requester: ALICE, reason: "one record only" });
    t.add("gw-1", 2, { ...edit, details: { ...edit.details, action: "edit" } });
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.rows.map((x) => [x.approvalId, x.approvers])).toEqual([["ap-1", carol.username]]);
  });

  test("Noncompliance 1: a self-approval is reported", () => {
    const t = new TrailBuilder();
    t.add("gw-1", 0, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
    t.add("gw-1", 1, approvalEvent(b, "approval.decided", ALICE, "ap-1", { requester: ALICE }));
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions.map((e) => [e.kind, e.subject])).toEqual([["self_approval", "ap-1"]]);
  });

  test("Noncompliance 2: an approval recorded after the call executed is reported", () => {
    const t = new TrailBuilder();
    t.add("gw-1", 0, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
    t.add(
      "gw-1",
      1,
      call(b, ALICE, "customers", "delete_customer", "approval_approved", {
        correlationId: "c-1",
        approvalId: "ap-1",
        ruleId: "delete-customer",
      }),
    );
    t.add("gw-1", 5, approvalEvent(b, "approval.decided", BOB, "ap-1", { requester: ALICE }));
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions.map((e) => e.kind)).toEqual(["approval_after_execution"]);
  });

  test("Compliance: a requester-only rule's call runs on the requester's recorded confirmation; without it, reported", () => {
    const base = testBundle();
    const rb = sealBundle({
      ...base,
      approvals: [
        ...base.approvals,
        {
          id: "mail-confirmed",
          description: "",
          servers: ["customers"],
          tools: ["send_mail"],
          when: [],
          approvers: { roles: [], groups: [] },
          count: 1,
          expiresAfterSeconds: 3600,
          confirm: "requester-only",
        },
      ],
    });
    const t = new TrailBuilder();
    const sent = (corr: string) =>
      call(rb, ALICE, "customers", "send_mail", "allowed", { correlationId: corr, ruleId: "mail-confirmed" });
    t.add("gw-1", 0, { ...sent("c-1"), kind: "approval.requester_confirmed" });
    t.add("gw-1", 0.1, sent("c-1"));
    const unconfirmed = t.add("gw-1", 1, sent("c-2"));
    const r = approvalsReport({ chains: t.chains, bundles: [rb], period });
    expect(r.exceptions.map((e) => [e.kind, e.eventIds, e.subject])).toEqual([
      ["executed_without_approval", [unconfirmed.id], "mail-confirmed"],
    ]);
  });

  test("Noncompliance 3: a call matching an approval rule that executed without approval is reported", () => {
    const t = new TrailBuilder();
    const rec = t.add("gw-2", 0, call(b, ALICE, "customers", "delete_customer", "allowed", { correlationId: "c-9" }));
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions.map((e) => [e.kind, e.eventIds, e.subject])).toEqual([
      ["executed_without_approval", [rec.id], "delete-customer"],
    ]);
  });

  test("Noncompliance 4: an approval consumed twice, or cited by two executed calls, is reported", () => {
    const t = new TrailBuilder();
    healthy(t, "ap-1", "c-1", 0);
    t.add("gw-1", 3, approvalEvent(b, "approval.consumed", ALICE, "ap-1", { correlationId: "c-2" }));
    t.add(
      "gw-1",
      3.1,
      call(b, ALICE, "customers", "delete_customer", "approval_requested", {
        correlationId: "c-2",
        approvalId: "ap-1",
        ruleId: "delete-customer",
      }),
    );
    healthy(t, "ap-2", "c-3", 10);
    t.add(
      "gw-2",
      12,
      call(b, ALICE, "customers", "delete_customer", "approval_approved", {
        correlationId: "c-4",
        approvalId: "ap-2",
        ruleId: "delete-customer",
      }),
    );
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions.map((e) => [e.kind, e.subject]).sort()).toEqual([
      ["approval_used_twice", "ap-1"],
      ["approval_used_twice", "ap-2"],
    ]);
  });

  test("Noncompliance 5: a call citing an approval that was never approved is reported", () => {
    const t = new TrailBuilder();
    t.add("gw-1", 0, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
    t.add(
      "gw-1",
      1,
      approvalEvent(b, "approval.decided", BOB, "ap-1", {
        requester: ALICE,
        outcome: "approval_rejected",
        reason: "no",
      }),
    );
    t.add(
      "gw-1",
      2,
      call(b, ALICE, "customers", "delete_customer", "approval_approved", { correlationId: "c-1", approvalId: "ap-1" }),
    );
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.exceptions.map((e) => e.kind)).toEqual(["executed_without_approval"]);
    expect(r.rows[0]).toMatchObject({ state: "rejected", reasons: "no" });
  });

  test("calls under a policy version that was not supplied are flagged unverifiable, once per version", () => {
    const t = new TrailBuilder();
    t.add("gw-1", 0, call(b, ALICE, "customers", "delete_customer", "allowed", { correlationId: "c-1" }));
    t.add("gw-1", 1, call(b, ALICE, "files", "read", "allowed", { correlationId: "c-2" }));
    const r = approvalsReport({ chains: t.chains, bundles: [], period });
    expect(r.exceptions.map((e) => [e.kind, e.eventIds.length])).toEqual([["approval_rule_unverifiable", 2]]);
  });

  test("approvals and calls outside the period are not in the population", () => {
    const t = new TrailBuilder();
    healthy(t, "ap-1", "c-1", -60 * 24);
    const r = approvalsReport({ chains: t.chains, bundles: [b], period });
    expect(r.rows).toEqual([]);
  });

  test("a retried call consumes the approval under its own correlation id (details.consumedBy)", () => {
    const t = new TrailBuilder();
    t.add(
      "gw-1",
      0,
      call(b, ALICE, "customers", "delete_customer", "approval_requested", {
        correlationId: "c-1",
        approvalId: "ap-1",
        ruleId: "delete-customer",
      }),
    );
    t.add("gw-1", 0.1, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
    t.add("gw-1", 1, approvalEvent(b, "approval.decided", BOB, "ap-1", { requester: ALICE }));
    t.add(
      "gw-1",
      2,
      call(b, ALICE, "customers", "delete_customer", "approval_requested", {
        correlationId: "c-2",
        ruleId: "delete-customer",
      }),
    );
    const consumed = approvalEvent(b, "approval.consumed", ALICE, "ap-1", { correlationId: "c-1" });
    t.add("gw-1", 2.1, { ...consumed, details: { ...consumed.details, consumedBy: "c-2" } });
    const calls = toolCallsReport({ chains: t.chains, bundles: [b], period });
    expect(calls.rows.map((x) => [x.correlationId, x.executed, x.approvalId])).toEqual([
      ["c-1", false, "ap-1"],
      ["c-2", true, "ap-1"],
    ]);
    expect(approvalsReport({ chains: t.chains, bundles: [b], period }).exceptions).toEqual([]);
  });

  describe("issue 19 item 8: correctness defects", () => {
    test("Defect 1: the rejecting approver is in approvals.csv (rejectedBy), not among the approvers", () => {
      const t = new TrailBuilder();
      t.add("gw-1", 0, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
      t.add(
        "gw-1",
        1,
        approvalEvent(b, "approval.decided", BOB, "ap-1", {
          requester: ALICE,
          outcome: "approval_rejected",
          reason: "not today",
        }),
      );
      const r = approvalsReport({ chains: t.chains, bundles: [b], period });
      expect(r.columns).toContain("rejectedBy");
      expect(r.rows[0]).toMatchObject({
        state: "rejected",
        approvers: "",
        rejectedBy: BOB.username,
        reasons: "not today",
      });
    });

    test("Defect 2: a call refused while its approval was pending lists no approver who approved later", () => {
      const t = new TrailBuilder();
      t.add(
        "gw-1",
        0,
        call(b, ALICE, "customers", "delete_customer", "approval_requested", {
          correlationId: "c-1",
          approvalId: "ap-1",
          ruleId: "delete-customer",
        }),
      );
      t.add("gw-1", 0.1, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
      const refused = call(b, ALICE, "customers", "delete_customer", "denied", {
        correlationId: "c-1",
        approvalId: "ap-1",
        ruleId: "delete-customer",
      });
      t.add("gw-1", 0.5, { ...refused, decision: { ...refused.decision, code: "ERR_APPROVAL_PENDING" } });
      t.add("gw-1", 1.5, approvalEvent(b, "approval.decided", BOB, "ap-1", { requester: ALICE }));
      t.add(
        "gw-1",
        2,
        call(b, ALICE, "customers", "delete_customer", "approval_requested", {
          correlationId: "c-2",
          ruleId: "delete-customer",
        }),
      );
      const consumed = approvalEvent(b, "approval.consumed", ALICE, "ap-1", { correlationId: "c-1" });
      t.add("gw-1", 2.1, { ...consumed, details: { ...consumed.details, consumedBy: "c-2" } });
      const calls = toolCallsReport({ chains: t.chains, bundles: [b], period });
      expect(calls.rows.map((x) => [x.correlationId, x.decision, x.code, x.executed, x.approvers])).toEqual([
        ["c-1", "denied", "ERR_APPROVAL_PENDING", false, ""],
        ["c-2", "approval_approved", null, true, BOB.username],
      ]);
    });

    test("Defect 3: tool-calls carries the masked arguments and their sha256", () => {
      const t = new TrailBuilder();
      const masked = { id: "[REDACTED:us_ssn]", note: "x" };
      const rec = call(b, ALICE, "customers", "get_customer", "allowed", { correlationId: "c-1" });
      t.add("gw-1", 0, { ...rec, action: { ...rec.action, arguments: masked } });
      const calls = toolCallsReport({ chains: t.chains, bundles: [b], period });
      expect(calls.columns).toEqual(expect.arrayContaining(["arguments", "argumentsSha256"]));
      expect(calls.rows[0].arguments).toBe('{"id":"[REDACTED:us_ssn]","note":"x"}');
      expect(calls.rows[0].argumentsSha256).toBe(sha256Hex('{"id":"[REDACTED:us_ssn]","note":"x"}'));
    });
  });
});
