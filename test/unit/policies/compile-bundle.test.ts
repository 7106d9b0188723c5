import { checkBundle } from "../../../runtime/core/policy-model/bundle-version";
import {
  AccessRule,
  ApprovalRule,
  compileBundle,
  MaskingRule,
  McpServer,
  PolicySet,
  resolveCommit,
} from "../../../policies/lib";
import { problemsOf, validSet } from "./policy-fixture";

describe("compileBundle", () => {
  it("seals a bundle that the runtime accepts, in tree order, with the given commit", () => {
    const { set } = validSet();
    const bundle = compileBundle(set, { commit: "abc123" });
    expect(bundle.commit).toBe("abc123");
    expect(checkBundle(JSON.parse(JSON.stringify(bundle)))).toEqual({ ok: true, bundle });
    expect(bundle.maskingSettings).toEqual({
      maxScanBytes: 10 * 1024 * 1024,
      onUnscannable: "withhold",
      hashKeySecretName: "masking-hash-key",
    });
  });

  it("takes masking settings from the PolicySet", () => {
    const set = new PolicySet("org", { maskingSettings: { maxScanBytes: 1024 } });
    new McpServer(set, "crm", { url: "https://crm.example.com/mcp" });
    expect(compileBundle(set, { commit: null }).maskingSettings.maxScanBytes).toBe(1024);
  });

  it("reports every problem of the tree at once, each with its construct path", () => {
    const { set, server } = validSet();
    new McpServer(set, "dup", { name: "crm", url: "https://other.example.com/mcp" });
    new AccessRule(set, "staff-2", { name: "staff", principals: {}, servers: [server], tools: { allow: ["*"] } });
    new ApprovalRule(set, "ap", { servers: ["crm"], tools: ["*"], approvers: {} });
    new MaskingRule(set, "m", {});
    const problems = problemsOf(set);
    expect(problems).toEqual([
      expect.stringMatching(/^org\/staff-2: principals is empty/),
      expect.stringMatching(/^org\/ap: approvers is empty/),
      expect.stringMatching(/^org\/m: the rule masks nothing/),
      expect.stringMatching(/^org\/crm, org\/dup: server name 'crm' is declared 2 times/),
      expect.stringMatching(/^org\/staff, org\/staff-2: rule name 'staff' is used 2 times/),
    ]);
  });

  it("refuses a tree without servers", () => {
    expect(problemsOf(new PolicySet("empty"))).toEqual([expect.stringMatching(/no McpServer is declared/)]);
  });

  it("nests: constructs under sub-scopes are found and their paths named", () => {
    const { set } = validSet();
    const { Construct } = jest.requireActual("constructs") as typeof import("constructs");
    const team = new Construct(set, "team-a");
    new AccessRule(team, "bad", { principals: { roles: ["X"] }, servers: ["ghost"], tools: { allow: ["*"] } });
    expect(problemsOf(set)).toEqual([expect.stringMatching(/^org\/team-a\/bad: servers \["ghost"\] are not declared/)]);
  });
});

describe("resolveCommit", () => {
  it("prefers GATEHOUSE_POLICY_COMMIT, treats an empty one as none, and is null outside a repository", () => {
    expect(resolveCommit("/", { GATEHOUSE_POLICY_COMMIT: "deadbeef" })).toBe("deadbeef");
    expect(resolveCommit("/", { GATEHOUSE_POLICY_COMMIT: "" })).toBeNull();
    expect(resolveCommit("/", {})).toBeNull();
    expect(resolveCommit(process.cwd(), {})).toMatch(/^[0-9a-f]{40}$/);
  });
});
