import { explainDecision, renderExplanation } from "../../../runtime/core/policy/explain-decision";
import { fixtureBundle } from "./bundle-fixture";

const bundle = fixtureBundle();
const ex = (roles: string[], tool: string, args: unknown = {}, server = "customers", jitRule?: string) =>
  explainDecision(bundle, { roles, groups: [], server, tool, args, jitRule });

describe("explainDecision", () => {
  it("names the rule behind each kind of decision", () => {
    expect(ex(["Engineer"], "get_customer")).toMatchObject({
      decision: "allow",
      rule: { kind: "access", id: "engineers" },
      reachableVia: ["engineers"],
    });
    expect(ex(["Engineer"], "delete_customer", { ids: ["a"] })).toMatchObject({
      decision: "approval",
      rule: { kind: "approval", id: "delete-needs-approver" },
      accessRule: "engineers",
      approvers: { roles: ["Approver"], count: 1 },
    });
    expect(ex(["Engineer"], "delete_customer", { ids: ["a", "b"] })).toMatchObject({
      decision: "block",
      rule: { kind: "guardrail", id: "one-delete-per-call" },
    });
    expect(ex(["Auditor"], "get_customer")).toMatchObject({
      decision: "deny",
      code: "ERR_FORBIDDEN",
      rule: null,
      reachableVia: [],
    });
    expect(ex(["Ops"], "write_file", {}, "files", "ops-jit")).toMatchObject({
      decision: "allow",
      rule: { id: "ops-jit" },
    });
  });

  it("renders text with the decision, the rule and the bundle version", () => {
    const text = renderExplanation(ex(["Engineer"], "delete_customer", { ids: ["a"] }));
    expect(text).toMatch(/^decision: approval$/m);
    expect(text).toMatch(/^rule: delete-needs-approver \(approval rule\)$/m);
    expect(text).toContain(bundle.version);
    expect(renderExplanation(ex([], "x"))).toMatch(/^rule: none/m);
  });

  it("says when the requester must confirm, before or instead of the approvers", () => {
    const withConfirm = (confirm: "requester" | "requester-only") =>
      renderExplanation(
        explainDecision(
          { ...bundle, approvals: bundle.approvals.map((a) => ({ ...a, confirm })) },
          { roles: ["Engineer"], groups: [], server: "customers", tool: "delete_customer", args: { ids: ["a"] } },
        ),
      );
    expect(withConfirm("requester")).toMatch(/^the requester must also confirm it .*never counts as an approval$/m);
    expect(withConfirm("requester")).toMatch(/^approvers: role Approver/m);
    expect(withConfirm("requester-only")).toMatch(/^allowed once the requester confirms it .*no approver/m);
    expect(withConfirm("requester-only")).not.toMatch(/^approvers:/m);
    expect(renderExplanation(ex(["Engineer"], "delete_customer", { ids: ["a"] }))).not.toMatch(/confirm/);
  });
});
