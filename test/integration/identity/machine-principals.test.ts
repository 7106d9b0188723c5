/**
 * Machine identities in policy (issue 16 item 6): `principals.apps` from the construct library to
 * the compiled bundle and the policy engine's decisions. An app matches only by client id (never
 * through a role its provider asserts); a person never matches `apps`; approvers cannot be apps;
 * a bundle without apps keeps the shape (and so the version) it had before the field existed.
 */
import { AccessRule, ApprovalRule, compileBundle } from "../../../policies/lib";
import { bundleVersion } from "../../../runtime/core/policy-model/bundle-version";
import { PolicyEngine } from "../../../runtime/core/policy/policy-engine";
import { diffBundles } from "../../../runtime/core/policy/bundle-diff";
import type { Identity } from "../../../runtime/core/identity";
import { problemsOf, validSet } from "../../unit/policies/policy-fixture";

const person = (roles: string[]): Identity => ({
  oid: "u-1",
  tenantId: "t",
  username: "u@example.com",
  roles,
  groups: [],
  groupsOverage: false,
  via: "oidc",
  kind: "user",
  appId: null,
  jit: null,
});
const app = (appId: string, roles: string[] = []): Identity => ({
  oid: `sp-${appId}`,
  tenantId: "t",
  username: null,
  roles,
  groups: [],
  groupsOverage: false,
  via: "oidc",
  kind: "app",
  appId,
  jit: null,
});
const listTools = { method: "tools/call", params: { name: "get_customer" } };

function machineSet() {
  const { set, server } = validSet();
  new AccessRule(set, "ci", {
    principals: { apps: ["ci-bot"] },
    servers: [server],
    mode: "standing",
    tools: { allow: ["get_*"] },
  });
  return set;
}

test("an app named in principals.apps is allowed what its rule allows, and nothing through roles", () => {
  const bundle = compileBundle(machineSet(), { commit: null });
  expect(bundle.access.find((r) => r.id === "ci")?.principals).toEqual({ roles: [], groups: [], apps: ["ci-bot"] });
  const engine = new PolicyEngine(bundle);
  expect(engine.decide(app("ci-bot"), "crm", listTools).effect).toBe("allow");
  expect(
    engine.decide(app("ci-bot"), "crm", { method: "tools/call", params: { name: "delete_customer" } }).effect,
  ).toBe("deny");
  // "Staff" may use everything, but an app holding the role is not Staff.
  expect(engine.decide(app("other-bot", ["Staff"]), "crm", listTools).effect).toBe("deny");
  expect(engine.decide(person(["Staff"]), "crm", listTools).effect).toBe("allow");
  // A person whose id happens to equal a client id is not that app.
  expect(engine.decide({ ...person([]), oid: "ci-bot" }, "crm", listTools).effect).toBe("deny");
});

test("approvers cannot be apps: approvals are decided by people", () => {
  const { set, server } = validSet();
  new ApprovalRule(set, "delete", {
    servers: [server],
    tools: ["delete_*"],
    approvers: { roles: ["Lead"], apps: ["ci-bot"] },
  });
  expect(problemsOf(set).join("\n")).toMatch(/approvers cannot list apps/);
});

test("a bundle without apps compiles exactly as before the field existed (its version is unchanged)", () => {
  const { set } = validSet();
  const bundle = compileBundle(set, { commit: null });
  expect(JSON.stringify(bundle)).not.toContain('"apps"');
  const { version, ...body } = bundle;
  expect(bundleVersion(body)).toBe(version);
});

test("a pull request granting a machine access says so in the policy diff", () => {
  const base = compileBundle(validSet().set, { commit: null });
  const head = compileBundle(machineSet(), { commit: null });
  const widened = diffBundles(base, head)
    .changes.filter((c) => c.category === "access-widened")
    .map((c) => c.text);
  expect(widened).toEqual([expect.stringContaining("app ci-bot on `crm` (standing): gains access")]);
});
