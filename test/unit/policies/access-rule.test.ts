import { AccessRule, compileBundle, McpServer, type AccessRuleProps } from "../../../policies/lib";
import { expectOneProblem, problemsOf, validSet } from "./policy-fixture";

function withRule(props: Partial<AccessRuleProps>, id = "bad") {
  const { set, server } = validSet();
  new AccessRule(set, id, { principals: { roles: ["Staff"] }, servers: [server], tools: { allow: ["*"] }, ...props });
  return set;
}

describe("AccessRule", () => {
  it("Compliance: defaults are jit, 60 minutes, granted on request, nothing but what is allowed", () => {
    const { set, server } = validSet();
    new AccessRule(set, "ops", {
      principals: { groups: ["0d2c8f1e-1111-2222-3333-444455556666"] },
      servers: [server],
      tools: { allow: ["get_*"] },
    });
    const rule = compileBundle(set, { commit: null }).access.find((r) => r.id === "ops");
    expect(rule).toEqual({
      id: "ops",
      description: "",
      principals: { roles: [], groups: ["0d2c8f1e-1111-2222-3333-444455556666"] },
      servers: ["crm"],
      tools: { allow: ["get_*"], deny: [] },
      resources: { allow: [], deny: [] },
      prompts: { allow: [], deny: [] },
      argumentConstraints: [],
      mode: "jit",
      jit: { maxMinutes: 60, grant: "on-request", approvers: { roles: [], groups: [] } },
    });
  });

  it.each([
    ["Noncompliance 1: invalid name", { name: "Not Valid" }, /rule name/],
    ["Noncompliance 2: nobody", { principals: {} }, /principals is empty/],
    ["Noncompliance 3: group display name", { principals: { groups: ["Engineers"] } }, /must be entra object ids/],
    ["Noncompliance 4: empty role", { principals: { roles: [""] } }, /empty role name/],
    ["Noncompliance 5: no servers", { servers: [] }, /servers is empty/],
    ["Noncompliance 6: glob server", { servers: ["*"] }, /are globs/],
    ["Noncompliance 7: nothing allowed", { tools: { deny: ["x"] } }, /allow nothing/],
    ["Noncompliance 8: jit minutes out of range", { jitMaxMinutes: 2000 }, /jitMaxMinutes/],
    ["Noncompliance 9: jit settings on standing", { mode: "standing", jitMaxMinutes: 10 }, /apply to mode "jit" only/],
    ["Noncompliance 10: jit approval without approvers", { jitGrant: "approval" }, /jitApprovers is empty/],
    [
      "Noncompliance 11: constraint without predicates",
      { argumentConstraints: [{ tool: "*", predicates: [] }] },
      /has no predicates/,
    ],
    [
      "Noncompliance 12: backtracking regex",
      { argumentConstraints: [{ tool: "*", predicates: [{ path: "p", op: "regex", value: "(a+)\\1" }] }] },
      /not a linear-time/,
    ],
    [
      "Noncompliance 13: lookahead",
      { argumentConstraints: [{ tool: "*", predicates: [{ path: "p", op: "regex", value: "x(?=y)" }] }] },
      /not a linear-time/,
    ],
    [
      "Noncompliance 14: contradicting constraint",
      {
        argumentConstraints: [
          {
            tool: "*",
            predicates: [
              { path: "n", op: "gt", value: 5 },
              { path: "n", op: "lt", value: 3 },
            ],
          },
        ],
      },
      /can never all hold/,
    ],
    ["Noncompliance 15: empty glob", { tools: { allow: [""] } }, /empty or over-long glob/],
    [
      "Noncompliance 16: bad predicate path",
      { argumentConstraints: [{ tool: "*", predicates: [{ path: "a..b", op: "exists", value: true }] }] },
      /not a dot path/,
    ],
  ] as [string, Partial<AccessRuleProps>, RegExp][])("%s", (_name, props, word) => {
    expectOneProblem(withRule(props), "org/bad", word);
  });

  it("Noncompliance: duplicate servers and an unknown server name are both reported", () => {
    const { set, server } = validSet();
    new AccessRule(set, "bad", {
      principals: { roles: ["X"] },
      servers: [server, "crm", "ghost"],
      tools: { allow: ["*"] },
    });
    const problems = problemsOf(set);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^org\/bad: servers lists \["crm"\] more than once/);
    expect(problems[1]).toMatch(/^org\/bad: servers \["ghost"\] are not declared/);
  });

  it("Compliance: a server from another tree is an unknown reference", () => {
    const other = validSet();
    const { set } = validSet();
    const foreign = new McpServer(other.set, "elsewhere", { url: "https://e.example.com" });
    new AccessRule(set, "bad", { principals: { roles: ["X"] }, servers: [foreign], tools: { allow: ["*"] } });
    expect(problemsOf(set)).toEqual([expect.stringMatching(/^org\/bad: servers \["elsewhere"\] are not declared/)]);
  });
});
