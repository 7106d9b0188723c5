/**
 * ApprovalRule `notify` (issue 20): routing, reminder and escalation reach the bundle as declared,
 * absent means absent (existing bundles keep their version), and a reminder or escalation that
 * could never happen (at or after expiry), an unknown channel or a bad group name is refused.
 */
import { ApprovalRule, compileBundle, type ApprovalRuleProps } from "../../../policies/lib";
import { expectOneProblem, validSet } from "./policy-fixture";

function withRule(props: Partial<ApprovalRuleProps>, id = "bad") {
  const { set, server } = validSet();
  new ApprovalRule(set, id, { servers: [server], tools: ["delete_*"], approvers: { roles: ["Approver"] }, ...props });
  return set;
}

describe("ApprovalRule notify", () => {
  it("Compliance: channels, group, reminder and escalation are compiled into the bundle", () => {
    const bundle = compileBundle(
      withRule(
        {
          expiresAfterSeconds: 1800,
          notify: {
            channels: ["slack", "email"],
            group: "dba",
            remindBeforeSeconds: 300,
            escalation: { afterSeconds: 600, group: "dba-leads", channels: ["pagerduty"] },
          },
        },
        "deletes",
      ),
      { commit: null },
    );
    expect(bundle.approvals[0].notify).toEqual({
      channels: ["slack", "email"],
      group: "dba",
      remindBeforeSeconds: 300,
      escalation: { afterSeconds: 600, group: "dba-leads", channels: ["pagerduty"] },
    });
  });

  it("Compliance: without notify the rule carries no notify field", () => {
    const bundle = compileBundle(withRule({}, "deletes"), { commit: null });
    expect(bundle.approvals[0]).not.toHaveProperty("notify");
  });

  it.each([
    ["Noncompliance 1: unknown channel", { notify: { channels: ["sms" as never] } }, /notify\.channels/],
    ["Noncompliance 2: bad group name", { notify: { group: "DBA Team" } }, /notify\.group/],
    [
      "Noncompliance 3: reminder at or before the request",
      { expiresAfterSeconds: 600, notify: { remindBeforeSeconds: 600 } },
      /remindBeforeSeconds/,
    ],
    [
      "Noncompliance 4: escalation after expiry",
      { expiresAfterSeconds: 600, notify: { escalation: { afterSeconds: 900, group: "leads" } } },
      /escalation\.afterSeconds/,
    ],
    [
      "Noncompliance 5: empty escalation channels",
      { notify: { escalation: { afterSeconds: 60, group: "leads", channels: [] } } },
      /escalation\.channels/,
    ],
  ] as [string, Partial<ApprovalRuleProps>, RegExp][])("%s", (_name, props, word) => {
    expectOneProblem(withRule(props), "org/bad", word);
  });
});
