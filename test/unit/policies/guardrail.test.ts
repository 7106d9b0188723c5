import { compileBundle, Guardrail, type GuardrailProps } from "../../../policies/lib";
import { expectOneProblem, validSet } from "./policy-fixture";

function withGuardrail(props: Partial<GuardrailProps>, id = "bad") {
  const { set, server } = validSet();
  new Guardrail(set, id, { servers: [server], message: "blocked", ...props });
  return set;
}

describe("Guardrail", () => {
  it("Compliance: call and result guardrails compile with defaults", () => {
    const set = withGuardrail({ tools: ["delete_*"], when: [{ path: "ids", op: "lengthGt", value: 1 }] }, "bulk");
    new Guardrail(set, "keys", {
      servers: ["*"],
      on: "result",
      resultRegex: "BEGIN [A-Z ]*PRIVATE KEY",
      message: "withheld",
    });
    const bundle = compileBundle(set, { commit: null });
    expect(bundle.guardrails).toEqual([
      {
        id: "bulk",
        description: "",
        servers: ["crm"],
        tools: ["delete_*"],
        on: "call",
        when: [{ path: "ids", op: "lengthGt", value: 1 }],
        message: "blocked",
      },
      {
        id: "keys",
        description: "",
        servers: ["*"],
        tools: ["*"],
        on: "result",
        when: [],
        resultRegex: "BEGIN [A-Z ]*PRIVATE KEY",
        message: "withheld",
      },
    ]);
  });

  it.each([
    ["Noncompliance 1: empty message", { message: " " }, /message is empty/],
    ["Noncompliance 2: result without regex", { on: "result" }, /needs resultRegex/],
    ["Noncompliance 3: call with resultRegex", { resultRegex: "x" }, /applies to on "result" only/],
    [
      "Noncompliance 4: result with when",
      { on: "result", resultRegex: "x", when: [{ path: "a", op: "exists", value: true }] },
      /when applies to on "call" only/,
    ],
    ["Noncompliance 5: backtracking result regex", { on: "result", resultRegex: "(x+x+)+\\1" }, /not a linear-time/],
    [
      "Noncompliance 6: contradicting predicates",
      {
        when: [
          { path: "ids", op: "lengthGt", value: 1 },
          { path: "ids", op: "equals", value: "x" },
        ],
      },
      /can never all hold/,
    ],
    ["Noncompliance 7: no servers", { servers: [] }, /servers is empty/],
    ["Noncompliance 8: no tools", { tools: [] }, /tools is empty/],
    ["Noncompliance 9: unknown server glob", { servers: ["nothing-*"] }, /match no declared server/],
  ] as [string, Partial<GuardrailProps>, RegExp][])("%s", (_name, props, word) => {
    expectOneProblem(withGuardrail(props), "org/bad", word);
  });
});
