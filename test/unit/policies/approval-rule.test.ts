import {
  AccessRule,
  ApprovalRule,
  compileBundle,
  Guardrail,
  McpServer,
  type ApprovalRuleProps,
} from "../../../policies/lib";
import { expectOneProblem, validSet } from "./policy-fixture";

function withRule(props: Partial<ApprovalRuleProps>, id = "bad") {
  const { set, server } = validSet();
  new ApprovalRule(set, id, { servers: [server], tools: ["delete_*"], approvers: { roles: ["Approver"] }, ...props });
  return set;
}

describe("ApprovalRule", () => {
  it("Compliance: defaults are one approver and one hour", () => {
    const bundle = compileBundle(withRule({}, "deletes"), { commit: null });
    expect(bundle.approvals).toEqual([
      {
        id: "deletes",
        description: "",
        servers: ["crm"],
        tools: ["delete_*"],
        when: [],
        approvers: { roles: ["Approver"], groups: [] },
        count: 1,
        expiresAfterSeconds: 3600,
      },
    ]);
  });

  it.each([
    ["Noncompliance 1: empty approver set", { approvers: {} }, /approvers is empty/],
    ["Noncompliance 2: empty approver lists", { approvers: { roles: [], groups: [] } }, /approvers is empty/],
    ["Noncompliance 3: no tools", { tools: [] }, /tools is empty/],
    ["Noncompliance 4: count 0", { count: 0 }, /count must be/],
    ["Noncompliance 5: expires too soon", { expiresAfterSeconds: 5 }, /expiresAfterSeconds/],
    [
      "Noncompliance 6: contradicting equals",
      {
        when: [
          { path: "mode", op: "equals", value: "a" },
          { path: "mode", op: "equals", value: "b" },
        ],
      },
      /can never all hold/,
    ],
    [
      "Noncompliance 7: absent and compared",
      {
        when: [
          { path: "n", op: "exists", value: false },
          { path: "n", op: "gt", value: 1 },
        ],
      },
      /can never all hold/,
    ],
    [
      "Noncompliance 8: equals outside a bound",
      {
        when: [
          { path: "n", op: "equals", value: 3 },
          { path: "n", op: "gte", value: 10 },
        ],
      },
      /can never all hold/,
    ],
    ["Noncompliance 9: non-RE2 regex", { when: [{ path: "q", op: "regex", value: "(?<=a)b" }] }, /not a linear-time/],
    ["Noncompliance 10: servers match nothing", { servers: ["hr-*"] }, /match no declared server/],
    ["Noncompliance 11: invalid name", { name: "Approve!" }, /rule name/],
    [
      "Noncompliance 12: unknown confirm",
      { confirm: "approver" as unknown as ApprovalRuleProps["confirm"] },
      /confirm must be "requester" or "requester-only"/,
    ],
    [
      "Noncompliance 13: requester-only with approvers",
      { confirm: "requester-only" },
      /approvers and count are not used when confirm is "requester-only"/,
    ],
    [
      "Noncompliance 14: allowEdit not a boolean",
      { allowEdit: "no" as unknown as boolean },
      /allowEdit must be true or false/,
    ],
  ] as [string, Partial<ApprovalRuleProps>, RegExp][])("%s", (_name, props, word) => {
    expectOneProblem(withRule(props), "org/bad", word);
  });

  it("Compliance: confirm is emitted only when set; requester-only needs no approvers", () => {
    const { set, server } = validSet();
    new ApprovalRule(set, "confirmed", {
      servers: [server],
      tools: ["delete_*"],
      approvers: { roles: ["Approver"] },
      confirm: "requester",
    });
    new ApprovalRule(set, "mail", { servers: [server], tools: ["send_*"], confirm: "requester-only" });
    const [confirmed, mail] = compileBundle(set, { commit: null }).approvals;
    expect(confirmed).toMatchObject({ id: "confirmed", confirm: "requester", approvers: { roles: ["Approver"] } });
    expect(mail).toMatchObject({ id: "mail", confirm: "requester-only", approvers: { roles: [], groups: [] } });
    expect(compileBundle(withRule({}, "plain"), { commit: null }).approvals[0]).not.toHaveProperty("confirm");
  });

  it("Compliance: allowEdit false is emitted; true (the default) leaves the bundle unchanged", () => {
    const forbids = compileBundle(withRule({ allowEdit: false }, "deletes"), { commit: null });
    expect(forbids.approvals[0]).toMatchObject({ id: "deletes", allowEdit: false });
    const allows = compileBundle(withRule({ allowEdit: true }, "deletes"), { commit: null });
    expect(allows.approvals[0]).not.toHaveProperty("allowEdit");
  });

  it("Noncompliance: no access rule reaches the rule's servers", () => {
    const { set } = validSet();
    const hr = new McpServer(set, "hr", { url: "https://hr.example.com/mcp" });
    new ApprovalRule(set, "bad", { servers: [hr], tools: ["*"], approvers: { roles: ["Approver"] } });
    expectOneProblem(set, "org/bad", /no access rule reaches/);
  });

  it("Noncompliance: a guardrail blocks every call the rule covers", () => {
    const set = withRule({});
    new Guardrail(set, "no-deletes", { servers: ["*"], tools: ["delete_*"], message: "no deletes" });
    expectOneProblem(set, "org/bad", /guardrail org\/no-deletes blocks every call/);
  });

  it("Compliance: a guardrail with conditions leaves the approval rule reachable", () => {
    const set = withRule({});
    new Guardrail(set, "bulk", {
      servers: ["*"],
      tools: ["delete_*"],
      when: [{ path: "ids", op: "lengthGt", value: 1 }],
      message: "one at a time",
    });
    new AccessRule(set, "more", { principals: { roles: ["Other"] }, servers: ["crm"], tools: { allow: ["get_*"] } });
    expect(() => compileBundle(set, { commit: null })).not.toThrow();
  });
});
