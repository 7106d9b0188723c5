import { COMPLIANCE_SCHEMA, entitlementsReport } from "../../../runtime/core/evidence/entitlements-report";
import { accessReviewReport } from "../../../runtime/core/evidence/access-review-report";
import {
  decisionEvents,
  parseDecisions,
  DecisionsFileError,
} from "../../../runtime/core/evidence/access-review-decisions";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import { parseCsv } from "../../../runtime/core/evidence/csv";
import { ALICE, BOB, TrailBuilder, call, testBundle } from "./trail-fixture";

const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
const b = testBundle();

function usedTrail(): TrailBuilder {
  const t = new TrailBuilder();
  t.add("gw-1", -60 * 24 * 3, call(b, ALICE, "files", "read_file", "allowed", { correlationId: "old" }));
  t.add("gw-1", 10, call(b, ALICE, "customers", "get_customer", "allowed", { correlationId: "c-1" }));
  t.add("gw-1", 20, call(b, ALICE, "customers", "delete_customer", "denied", { correlationId: "c-2" }));
  return t;
}

describe("entitlements report", () => {
  test("lists every rule x server x principal with its last use, and a compliance document", () => {
    const r = entitlementsReport({ chains: usedTrail().chains, bundles: [b], period });
    expect(r.rows.map((x) => [x.entitlementId, x.mode, x.lastUsedAt, x.useCountInPeriod])).toEqual([
      ["engineers/files/role:Engineer", "standing", "2026-02-26T10:00:00.000Z", 0],
      ["engineers/customers/role:Engineer", "standing", "2026-03-01T10:10:00.000Z", 1],
      ["customers-admin/customers/role:Engineer", "jit", null, 0],
      ["customers-admin/customers/group:g-admins", "jit", null, 0],
    ]);
    const doc = JSON.parse(r.extraFiles![0].content);
    expect(doc).toMatchObject({
      schema: COMPLIANCE_SCHEMA,
      asOf: period.to,
      policyVersion: b.version,
      policyCommit: "abc123",
    });
    expect(doc.entitlements[2]).toEqual({
      id: "customers-admin/customers/role:Engineer",
      resource: { type: "mcp-server", name: "customers" },
      permissions: { tools: { allow: ["*"], deny: [] }, argumentConstraints: 0 },
      principal: { type: "appRole", id: "Engineer" },
      grantType: "jit",
      jit: { maxMinutes: 60, grant: "on-request" },
      sourceRule: "customers-admin",
      lastUsedAt: null,
      lastUsedBy: null,
      review: null,
    });
    expect(r.exceptions).toEqual([]);
  });

  test("approved calls (ruleId names the approval rule) and JIT sessions (no roles in the token) count as uses", () => {
    const t = new TrailBuilder();
    t.add(
      "gw-1",
      10,
      call(b, ALICE, "customers", "delete_customer", "allowed", {
        correlationId: "c-1",
        approvalId: "ap-1",
        ruleId: "delete-customer",
      }),
    );
    t.add("gw-1", 20, {
      ...call(b, ALICE, "customers", "get_customer", "allowed", {
        correlationId: "c-2",
        via: "jit",
        grantId: "g-1",
        ruleId: "customers-admin",
      }),
      actor: { ...ALICE, roles: [], via: "jit" },
    });
    const r = entitlementsReport({ chains: t.chains, bundles: [b], period });
    expect(r.rows.map((x) => [x.entitlementId, x.lastUsedAt])).toEqual([
      ["engineers/files/role:Engineer", null],
      ["engineers/customers/role:Engineer", "2026-03-01T10:10:00.000Z"],
      ["customers-admin/customers/role:Engineer", "2026-03-01T10:20:00.000Z"],
      ["customers-admin/customers/group:g-admins", "2026-03-01T10:20:00.000Z"],
    ]);
  });

  test("details.accessRuleId decides which entitlement an approved call used; without it, every rule whose globs allow the tool counts", () => {
    const two = sealBundle({
      schemaVersion: 1,
      commit: "abc123",
      servers: [{ name: "customers", transport: { type: "http", url: "http://127.0.0.1:1/mcp" } }],
      access: [
        {
          id: "readers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["customers"],
          tools: { allow: ["*_customer"] },
        },
        {
          id: "deleters",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["customers"],
          tools: { allow: ["delete_*"] },
        },
      ],
      approvals: [
        {
          id: "delete-customer",
          servers: ["customers"],
          tools: ["delete_customer"],
          approvers: { roles: ["Approver"] },
        },
      ],
    });
    const approved = call(two, ALICE, "customers", "delete_customer", "allowed", {
      correlationId: "c-1",
      approvalId: "ap-1",
      ruleId: "delete-customer",
    });
    const used = (events: (typeof approved)[]) => {
      const t = new TrailBuilder();
      events.forEach((e, i) => t.add("gw-1", 10 + i, e));
      return entitlementsReport({ chains: t.chains, bundles: [two], period }).rows.map((x) => [
        x.entitlementId,
        x.useCountInPeriod,
      ]);
    };
    expect(used([{ ...approved, details: { accessRuleId: "deleters" } }])).toEqual([
      ["readers/customers/role:Engineer", 0],
      ["deleters/customers/role:Engineer", 1],
    ]);
    expect(used([approved])).toEqual([
      ["readers/customers/role:Engineer", 1],
      ["deleters/customers/role:Engineer", 1],
    ]);
  });

  test("access review: one CSV per server; recorded decisions show in the next snapshot; a removal not applied is an exception", () => {
    const t = usedTrail();
    const review = accessReviewReport({ chains: t.chains, bundles: [b], period });
    expect(review.extraFiles!.map((f) => f.name)).toEqual(["access-review-customers.csv", "access-review-files.csv"]);
    const table = parseCsv(review.extraFiles![0].content);
    expect(table[0].slice(-2)).toEqual(["decision", "reason"]);
    expect(table.slice(1).map((row) => row[0])).toEqual([
      "engineers/customers/role:Engineer",
      "customers-admin/customers/role:Engineer",
      "customers-admin/customers/group:g-admins",
    ]);

    // The owner fills in the file: keep one, remove one, leave one undecided.
    const filled = [
      table[0],
      [...table[1].slice(0, -2), "keep", "needed for support"],
      [...table[2].slice(0, -2), "remove", "unused for 90 days"],
      table[3],
    ]
      .map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(","))
      .join("\r\n");
    const { decisions, skipped } = parseDecisions(filled, b);
    expect(skipped).toBe(1);
    const events = decisionEvents(decisions, { oid: BOB.oid, username: BOB.username }, "2026-03-01T15:00:00.000Z", b);
    expect(events.map((e) => [e.kind, e.details?.decision])).toEqual([
      ["access_review.decision", "keep"],
      ["access_review.decision", "remove"],
    ]);
    for (const e of events) t.add("review", 300, e);

    const snap = entitlementsReport({ chains: t.chains, bundles: [b], period });
    expect(
      snap.rows.filter((x) => x.lastReviewDecision).map((x) => [x.entitlementId, x.lastReviewDecision, x.lastReviewer]),
    ).toEqual([
      ["engineers/customers/role:Engineer", "keep", BOB.username],
      ["customers-admin/customers/role:Engineer", "remove", BOB.username],
    ]);
    expect(snap.exceptions.map((e) => [e.kind, e.subject])).toEqual([
      ["removal_not_applied", "customers-admin/customers/role:Engineer"],
    ]);

    // Once the policy no longer grants it, the removal shows as applied.
    const { version: _previous, ...body } = b;
    const sealed = sealBundle({
      ...body,
      access: b.access.map((a) =>
        a.id === "customers-admin" ? { ...a, principals: { ...a.principals, roles: [] } } : a,
      ),
    });
    const later = entitlementsReport({ chains: t.chains, bundles: [sealed], period });
    expect(later.exceptions).toEqual([]);
    expect(later.rows.map((x) => x.entitlementId)).not.toContain("customers-admin/customers/role:Engineer");
  });

  test("a decisions file with problems is refused as a whole, every problem with its line", () => {
    const csv =
      "entitlementId,decision,reason\r\nengineers/files/role:Engineer,maybe,x\r\nengineers/files/role:Engineer,remove,\r\nnope/x/role:Y,keep,r\r\n";
    try {
      parseDecisions(csv, b);
      throw new Error("expected a DecisionsFileError");
    } catch (e) {
      expect(e).toBeInstanceOf(DecisionsFileError);
      expect((e as DecisionsFileError).problems.map((p) => p.split(":")[0])).toEqual(["line 2", "line 3", "line 4"]);
    }
    expect(() => parseDecisions("a,b\r\n", b)).toThrow(DecisionsFileError);
  });
});
