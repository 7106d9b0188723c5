import { checkBundle } from "../../../runtime/core/policy-model/bundle-version";
import { buildDeclaredBundle } from "../../../policies";
import { DEMO_DEFAULTS } from "../../../policies/org";
import type { Identity } from "../../../runtime/core/identity";
import { PolicyEngine } from "../../../runtime/core/policy/policy-engine";

const saved = { ...process.env };
beforeEach(() => {
  for (const k of Object.keys(DEMO_DEFAULTS)) delete process.env[k];
});
afterAll(() => {
  process.env = saved;
});

const user = (roles: string[], oid = "oid"): Identity => ({
  oid,
  tenantId: "t",
  username: null,
  roles,
  groups: [],
  groupsOverage: false,
  via: "entra",
  jit: null,
});
const alice = user(["Engineer"], "alice");
const bob = user(["Approver"], "bob");
const carol = user(["Auditor"], "carol");
const call = (name: string, args: unknown = {}) => ({ method: "tools/call", params: { name, arguments: args } });

describe("the declared example organisation", () => {
  it("matches the committed snapshot (review changes to it like the policy change they are)", () => {
    const bundle = buildDeclaredBundle({ commit: "0000000000000000000000000000000000000000" });
    expect(bundle).toMatchSnapshot();
  });

  it("is a bundle the runtime accepts", () => {
    const bundle = buildDeclaredBundle({ commit: null });
    expect(checkBundle(JSON.parse(JSON.stringify(bundle))).ok).toBe(true);
  });

  it("reads the demo servers' locations from the environment", () => {
    process.env.GATEHOUSE_DEMO_CUSTOMERS_URL = "http://127.0.0.1:9999/mcp";
    process.env.GATEHOUSE_DEMO_FILES_DIR = "/srv/demo";
    const bundle = buildDeclaredBundle({ commit: null });
    expect(bundle.servers.find((s) => s.name === "customers")?.transport).toEqual({
      type: "http",
      url: "http://127.0.0.1:9999/mcp",
    });
    const files = bundle.servers.find((s) => s.name === "files")?.transport;
    expect(files?.type === "stdio" && files.args.at(-1)).toBe("/srv/demo");
  });

  describe("decisions", () => {
    const engine = new PolicyEngine(buildDeclaredBundle({ commit: null }));

    it("lets Engineers use both servers", () => {
      expect(engine.decide(alice, "customers", call("list_customers")).effect).toBe("allow");
      expect(engine.decide(alice, "customers", call("get_customer", { id: "c-1001" })).effect).toBe("allow");
      expect(engine.decide(alice, "files", call("read_text_file", { path: "a.txt" })).effect).toBe("allow");
    });

    it("makes delete_customer wait for one Approver, and blocks bulk deletes", () => {
      const d = engine.decide(alice, "customers", call("delete_customer", { ids: ["c-1001"] }));
      expect(d).toMatchObject({
        effect: "approval",
        ruleId: "delete-customer-approval",
        accessRuleId: "engineers-standing",
      });
      expect(d.effect === "approval" && d.rule).toMatchObject({ approvers: { roles: ["Approver"] }, count: 1 });
      expect(engine.decide(alice, "customers", call("delete_customer", { ids: ["c-1001", "c-1002"] }))).toMatchObject({
        effect: "block",
        code: "ERR_GUARDRAIL_BLOCKED",
      });
    });

    it("keeps Auditors and Approvers off every MCP server", () => {
      for (const who of [carol, bob]) {
        for (const server of ["files", "customers"])
          expect(engine.decide(who, server, { method: "initialize" })).toMatchObject({
            effect: "deny",
            code: "ERR_FORBIDDEN",
          });
      }
    });

    it("lets Engineers change files only in a just-in-time session", () => {
      expect(engine.decide(alice, "files", call("write_file", { path: "x", content: "y" }))).toMatchObject({
        effect: "deny",
        code: "ERR_TOOL_DENIED",
      });
      const [rule] = engine.jitRules(alice, "files");
      expect(rule).toMatchObject({ id: "engineers-files-write-jit", jit: { maxMinutes: 30, grant: "on-request" } });
      const session: Identity = {
        ...alice,
        via: "jit",
        jit: { grantId: "g", server: "files", ruleId: rule.id, expiresAt: new Date(Date.now() + 60_000).toISOString() },
      };
      expect(engine.decide(session, "files", call("write_file", { path: "x", content: "y" }))).toEqual({
        effect: "allow",
        ruleId: rule.id,
      });
      expect(engine.decide(session, "customers", call("list_customers")).effect).toBe("deny");
    });

    it("masks card numbers, e-mails and SSNs in both copies", () => {
      const personal = engine.bundle.masking.find((m) => m.id === "personal-data");
      expect(personal).toMatchObject({ servers: ["*"], tools: ["*"], scope: "both", style: "redact" });
      expect(personal?.detectors).toEqual(expect.arrayContaining(["credit_card", "email", "us_ssn"]));
    });
  });
});
