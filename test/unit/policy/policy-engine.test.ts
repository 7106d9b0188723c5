import { PolicyEngine } from "../../../runtime/core/policy/policy-engine";
import { entra, fixtureBundle, jitIdentity } from "./bundle-fixture";
import { PEM_RSA_PRIVATE_KEY_BEGIN } from "../../fixtures/secret-shaped-samples";

const engine = new PolicyEngine(fixtureBundle());
const engineer = entra(["Engineer"]);
const call = (name: string, args?: unknown) => ({ method: "tools/call", params: { name, arguments: args } });

describe("PolicyEngine.decide: servers and identities", () => {
  it("denies an unknown server with ERR_UNKNOWN_SERVER", () => {
    expect(engine.decide(engineer, "nope", { method: "initialize" })).toMatchObject({
      effect: "deny",
      code: "ERR_UNKNOWN_SERVER",
      ruleId: null,
    });
    expect(engine.server("nope")).toBeUndefined();
    expect(engine.server("files")?.transport.type).toBe("stdio");
  });

  it("denies with ERR_FORBIDDEN when no access rule applies (no role, wrong role, other server)", () => {
    expect(engine.decide(entra([]), "files", { method: "initialize" })).toMatchObject({
      effect: "deny",
      code: "ERR_FORBIDDEN",
    });
    expect(engine.decide(entra(["Auditor"]), "customers", { method: "initialize" })).toMatchObject({
      effect: "deny",
      code: "ERR_FORBIDDEN",
    });
    expect(engine.decide(entra(["Engineer"]), "empty", { method: "initialize" })).toMatchObject({
      effect: "deny",
      code: "ERR_FORBIDDEN",
    });
  });

  it("matches principals by group object id, and not when the groups are unknown (overage)", () => {
    const member = entra([], ["11111111-2222-3333-4444-555555555555"]);
    expect(engine.decide(member, "customers", call("list_customers"))).toEqual({
      effect: "allow",
      ruleId: "group-readers",
    });
    expect(
      engine.decide({ ...member, groups: [], groupsOverage: true }, "customers", call("list_customers")),
    ).toMatchObject({ code: "ERR_FORBIDDEN" });
  });

  it("applies jit rules only to JIT identities, and only on their granted server and rule", () => {
    const ops = entra(["Ops"]);
    expect(engine.reachable(ops, "files")).toEqual({ allowed: false, ruleIds: [] });
    expect(engine.reachable(jitIdentity("files", "ops-jit"), "files")).toEqual({ allowed: true, ruleIds: ["ops-jit"] });
    expect(engine.reachable(jitIdentity("customers", "ops-jit"), "customers")).toEqual({ allowed: false, ruleIds: [] });
    expect(engine.reachable(jitIdentity("files", "ops-jit"), "customers").allowed).toBe(false);
    // A JIT grant naming a standing rule gives nothing: standing rules are for Entra identities.
    expect(engine.reachable(jitIdentity("files", "engineers"), "files").allowed).toBe(false);
    expect(
      engine.reachable(jitIdentity("files", "ops-jit", new Date(Date.now() - 1000).toISOString()), "files").allowed,
    ).toBe(false);
    expect(engine.decide(jitIdentity("files", "ops-jit"), "files", call("write_file"))).toEqual({
      effect: "allow",
      ruleId: "ops-jit",
    });
  });

  it("reachable lists every standing rule of the identity on the server", () => {
    const both = entra(["Engineer"], ["11111111-2222-3333-4444-555555555555"]);
    expect(engine.reachable(both, "customers")).toEqual({ allowed: true, ruleIds: ["engineers", "group-readers"] });
    expect(engine.reachable(both, "nope")).toEqual({ allowed: false, ruleIds: [] });
  });
});

describe("PolicyEngine.decide: tools/call precedence", () => {
  it("allows a tool matched by an allow glob", () => {
    expect(engine.decide(engineer, "customers", call("get_customer", { id: "c-1" }))).toEqual({
      effect: "allow",
      ruleId: "engineers",
    });
  });

  it("lets deny globs beat allow globs", () => {
    expect(engine.decide(engineer, "files", call("write_file"))).toMatchObject({
      effect: "deny",
      code: "ERR_TOOL_DENIED",
      ruleId: "engineers",
    });
  });

  it("lets a deny glob of one applicable rule beat the allow glob of another", () => {
    const e = new PolicyEngine(
      fixtureBundle({
        access: [
          {
            id: "wide",
            principals: { roles: ["Engineer"] },
            servers: ["files"],
            mode: "standing",
            tools: { allow: ["*"] },
          },
          {
            id: "narrow",
            principals: { roles: ["Engineer"] },
            servers: ["files"],
            mode: "standing",
            tools: { deny: ["move_*"] },
          },
        ],
      }),
    );
    expect(e.decide(engineer, "files", call("move_file"))).toMatchObject({
      effect: "deny",
      code: "ERR_TOOL_DENIED",
      ruleId: "narrow",
    });
    expect(e.decide(engineer, "files", call("read_text_file"))).toEqual({ effect: "allow", ruleId: "wide" });
  });

  it("allows nothing when the allow list is empty (secure default)", () => {
    expect(engine.decide(entra(["Nothing"]), "customers", { method: "initialize" })).toEqual({
      effect: "allow",
      ruleId: "no-allow",
    });
    expect(engine.decide(entra(["Nothing"]), "customers", call("list_customers"))).toMatchObject({
      effect: "deny",
      code: "ERR_TOOL_DENIED",
      ruleId: null,
    });
  });

  it("denies a call without a tool name", () => {
    expect(engine.decide(engineer, "customers", { method: "tools/call", params: {} })).toMatchObject({
      effect: "deny",
      code: "ERR_TOOL_DENIED",
    });
    expect(engine.decide(engineer, "customers", { method: "tools/call" })).toMatchObject({
      effect: "deny",
      code: "ERR_TOOL_DENIED",
    });
  });

  it("enforces argument constraints of the allowing rule", () => {
    expect(engine.decide(engineer, "files", call("read_file", { path: "/demo/a.txt" }))).toEqual({
      effect: "allow",
      ruleId: "engineers",
    });
    expect(engine.decide(engineer, "files", call("read_file", { path: "/etc/passwd" }))).toMatchObject({
      effect: "deny",
      code: "ERR_ARGUMENTS_DENIED",
      ruleId: "engineers",
    });
    expect(engine.decide(engineer, "files", call("read_file"))).toMatchObject({
      effect: "deny",
      code: "ERR_ARGUMENTS_DENIED",
    });
  });

  it("blocks with a guardrail before asking for approval", () => {
    expect(engine.decide(engineer, "customers", call("delete_customer", { ids: ["a", "b"] }))).toEqual({
      effect: "block",
      ruleId: "one-delete-per-call",
      code: "ERR_GUARDRAIL_BLOCKED",
      message: "delete one customer per call",
    });
  });

  it("asks for approval when an approval rule matches and no guardrail blocks", () => {
    const d = engine.decide(engineer, "customers", call("delete_customer", { ids: ["a"] }));
    expect(d).toMatchObject({ effect: "approval", ruleId: "delete-needs-approver", accessRuleId: "engineers" });
    expect(d.effect === "approval" && d.rule.approvers.roles).toEqual(["Approver"]);
  });

  it("denies before blocking: a guardrail never makes an unreachable tool visible", () => {
    const reader = entra([], ["11111111-2222-3333-4444-555555555555"]);
    expect(engine.decide(reader, "customers", call("delete_customer", { ids: ["a", "b"] }))).toMatchObject({
      effect: "deny",
      code: "ERR_TOOL_DENIED",
    });
  });
});

describe("PolicyEngine.decide: other methods", () => {
  it("allows protocol methods and lists when the server is reachable", () => {
    for (const method of [
      "initialize",
      "ping",
      "notifications/initialized",
      "tools/list",
      "resources/list",
      "resources/templates/list",
      "prompts/list",
      "logging/setLevel",
    ]) {
      expect(engine.decide(engineer, "files", { method })).toEqual({ effect: "allow", ruleId: "engineers" });
    }
  });

  it("checks resources/read and resources/subscribe by URI", () => {
    expect(
      engine.decide(engineer, "files", { method: "resources/read", params: { uri: "file:///demo/a.txt" } }),
    ).toEqual({ effect: "allow", ruleId: "engineers" });
    expect(
      engine.decide(engineer, "files", { method: "resources/read", params: { uri: "file:///demo/secret.txt" } }),
    ).toMatchObject({ effect: "deny", code: "ERR_TOOL_DENIED" });
    expect(
      engine.decide(engineer, "files", { method: "resources/subscribe", params: { uri: "file:///etc/passwd" } }),
    ).toMatchObject({ effect: "deny" });
    expect(engine.decide(engineer, "files", { method: "resources/read", params: {} })).toMatchObject({
      effect: "deny",
    });
  });

  it("checks prompts/get by name and completion/complete by its reference", () => {
    expect(engine.decide(engineer, "files", { method: "prompts/get", params: { name: "summaries" } })).toMatchObject({
      effect: "deny",
    });
    expect(engine.decide(engineer, "files", { method: "prompts/get", params: { name: "summar1" } })).toEqual({
      effect: "allow",
      ruleId: "engineers",
    });
    const complete = (ref: unknown) =>
      engine.decide(engineer, "files", { method: "completion/complete", params: { ref } });
    expect(complete({ type: "ref/prompt", name: "summarx" }).effect).toBe("allow");
    expect(complete({ type: "ref/prompt", name: "other" }).effect).toBe("deny");
    expect(complete({ type: "ref/resource", uri: "file:///demo/x" }).effect).toBe("allow");
    expect(complete({ type: "other" }).effect).toBe("deny");
  });
});

describe("PolicyEngine.filterList", () => {
  it("keeps only the tools, resources and prompts the identity may use", () => {
    const tools = [{ name: "read_file" }, { name: "write_file" }, { name: "list_directory" }, {}];
    expect(engine.filterList(engineer, "files", "tools", tools).map((t) => t.name)).toEqual([
      "read_file",
      "list_directory",
    ]);
    const resources = [
      { uri: "file:///demo/a" },
      { uri: "file:///demo/secret.txt" },
      { uriTemplate: "file:///demo/{name}" },
      { uri: "file:///etc/x" },
    ];
    expect(engine.filterList(engineer, "files", "resources", resources)).toEqual([
      { uri: "file:///demo/a" },
      { uriTemplate: "file:///demo/{name}" },
    ]);
    expect(engine.filterList(engineer, "files", "prompts", [{ name: "summar1" }, { name: "other" }])).toEqual([
      { name: "summar1" },
    ]);
  });

  it("returns nothing for an unreachable or unknown server", () => {
    expect(engine.filterList(entra(["Auditor"]), "files", "tools", [{ name: "read_file" }])).toEqual([]);
    expect(engine.filterList(engineer, "nope", "tools", [{ name: "read_file" }])).toEqual([]);
  });
});

describe("PolicyEngine.checkResult, jitRules, approvalRuleFor", () => {
  it("blocks results matching a result guardrail", () => {
    expect(engine.checkResult("files", "read_file", PEM_RSA_PRIVATE_KEY_BEGIN)).toEqual({
      ruleId: "no-private-keys",
      message: "result withheld",
    });
    expect(engine.checkResult("files", "read_file", "hello")).toBeNull();
  });

  it("makes the result text only when a guardrail applies to the tool, and once", () => {
    let made = 0;
    const text = () => (made++, PEM_RSA_PRIVATE_KEY_BEGIN);
    expect(engine.checkResult("files", "read_file", text)).toEqual({
      ruleId: "no-private-keys",
      message: "result withheld",
    });
    expect(made).toBe(1);
    const argumentGuardrailsOnly = new PolicyEngine(
      fixtureBundle({ guardrails: fixtureBundle().guardrails.filter((g) => g.on !== "result") }),
    );
    expect(argumentGuardrailsOnly.checkResult("files", "read_file", text)).toBeNull();
    expect(made).toBe(1);
  });

  it("lists jit rules for Entra identities holding the principals, never for JIT identities", () => {
    expect(engine.jitRules(entra(["Ops"]), "files").map((r) => r.id)).toEqual(["ops-jit"]);
    expect(engine.jitRules(entra(["Ops"]), "customers")).toEqual([]);
    expect(engine.jitRules(engineer, "files")).toEqual([]);
    expect(engine.jitRules(jitIdentity("files", "ops-jit"), "files")).toEqual([]);
  });

  it("finds the approval rule by server and tool globs and predicates", () => {
    expect(engine.approvalRuleFor("customers", "delete_customer", { ids: ["a"] })?.id).toBe("delete-needs-approver");
    expect(engine.approvalRuleFor("customers", "get_customer", {})).toBeNull();
    expect(engine.approvalRuleFor("files", "delete_customer", {})).toBeNull();
    const e = new PolicyEngine(
      fixtureBundle({
        approvals: [
          {
            id: "big",
            servers: ["*"],
            tools: ["*"],
            when: [{ path: "amount", op: "gt", value: 100 }],
            approvers: { roles: ["Approver"] },
          },
        ],
      }),
    );
    expect(e.approvalRuleFor("customers", "pay", { amount: 101 })?.id).toBe("big");
    expect(e.approvalRuleFor("customers", "pay", { amount: 100 })).toBeNull();
    expect(e.approvalRuleFor("customers", "pay", undefined)).toBeNull();
  });

  it("refuses a bundle whose regexes are not RE2", () => {
    const bad = fixtureBundle({
      guardrails: [{ id: "bad", servers: ["*"], on: "result", resultRegex: "(a)\\1", message: "x" }],
    });
    expect(() => new PolicyEngine(bad)).toThrow(expect.objectContaining({ code: "ERR_POLICY_INVALID" }));
  });
});
