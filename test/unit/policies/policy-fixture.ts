import { AccessRule, compileBundle, McpServer, PolicySet, PolicyValidationError } from "../../../policies/lib";

/** GIVEN a valid minimal organisation: one http server, one standing access rule. */
export function validSet(): { set: PolicySet; server: McpServer } {
  const set = new PolicySet("org");
  const server = new McpServer(set, "crm", { url: "https://crm.example.com/mcp" });
  new AccessRule(set, "staff", {
    principals: { roles: ["Staff"] },
    servers: [server],
    mode: "standing",
    tools: { allow: ["*"] },
  });
  return { set, server };
}

/** The problems compileBundle reports (fails the test when it compiles). */
export function problemsOf(set: PolicySet): string[] {
  try {
    compileBundle(set, { commit: null });
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyValidationError);
    expect((e as PolicyValidationError).code).toBe("ERR_POLICY_INVALID");
    return (e as PolicyValidationError).problems;
  }
  throw new Error("expected the policy set to fail validation");
}

/** THEN exactly one problem, on `path`, mentioning `word`. */
export function expectOneProblem(set: PolicySet, path: string, word: RegExp): void {
  const problems = problemsOf(set);
  expect(problems).toHaveLength(1);
  expect(problems[0].startsWith(`${path}`)).toBe(true);
  expect(problems[0]).toMatch(word);
}
