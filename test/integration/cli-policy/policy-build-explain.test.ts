import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkBundle } from "../../../runtime/core/policy-model/bundle-version";
import { runCli } from "./run-cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-cli-policy-"));
const bundleFile = path.join(dir, "bundle.json");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("gatehouse policy build", () => {
  it("writes the declared bundle to --out, stamped with the commit, and to stdout without --out", () => {
    const r = runCli(["policy", "build", "--out", bundleFile], { env: { GATEHOUSE_POLICY_COMMIT: "1234567" } });
    expect(r.code).toBe(0);
    const bundle = JSON.parse(fs.readFileSync(bundleFile, "utf8"));
    expect(checkBundle(bundle).ok).toBe(true);
    expect(bundle.commit).toBe("1234567");
    expect(bundle.servers.map((s: { name: string }) => s.name)).toEqual(["files", "customers"]);

    const out = runCli(["policy", "build"], { env: { GATEHOUSE_POLICY_COMMIT: "1234567" } });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).version).toBe(bundle.version);
  });
});

describe("gatehouse policy explain", () => {
  const explain = (args: string[]) => {
    const r = runCli(["policy", "explain", "--policy", bundleFile, "--json", ...args]);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };

  it("allows an Engineer to list customers by the standing rule", () => {
    expect(explain(["--roles", "Engineer", "--server", "customers", "--tool", "list_customers"])).toMatchObject({
      decision: "allow",
      rule: { kind: "access", id: "engineers-standing" },
    });
  });

  it("sends delete_customer to an Approver and blocks a bulk delete", () => {
    expect(
      explain([
        "--roles",
        "Engineer",
        "--server",
        "customers",
        "--tool",
        "delete_customer",
        "--args",
        '{"ids":["c-1001"]}',
      ]),
    ).toMatchObject({
      decision: "approval",
      rule: { kind: "approval", id: "delete-customer-approval" },
      accessRule: "engineers-standing",
      approvers: { roles: ["Approver"], count: 1 },
    });
    expect(
      explain([
        "--roles",
        "Engineer",
        "--server",
        "customers",
        "--tool",
        "delete_customer",
        "--args",
        '{"ids":["c-1001","c-1002"]}',
      ]),
    ).toMatchObject({
      decision: "block",
      code: "ERR_GUARDRAIL_BLOCKED",
      rule: { kind: "guardrail", id: "delete-one-customer-per-call" },
    });
  });

  it("denies Auditors, and denies write_file outside a JIT session but allows it inside one", () => {
    expect(explain(["--roles", "Auditor", "--server", "files", "--tool", "read_text_file"])).toMatchObject({
      decision: "deny",
      code: "ERR_FORBIDDEN",
      rule: null,
    });
    expect(explain(["--roles", "Engineer", "--server", "files", "--tool", "write_file"])).toMatchObject({
      decision: "deny",
      code: "ERR_TOOL_DENIED",
    });
    expect(
      explain([
        "--roles",
        "Engineer",
        "--server",
        "files",
        "--tool",
        "write_file",
        "--jit-rule",
        "engineers-files-write-jit",
      ]),
    ).toMatchObject({
      decision: "allow",
      rule: { id: "engineers-files-write-jit" },
    });
  });

  it("explains from the declared policies in text form when no --policy is given", () => {
    const r = runCli(["policy", "explain", "--roles", "Engineer", "--server", "nope", "--tool", "x"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^decision: deny$/m);
    expect(r.stdout).toMatch(/^code: ERR_UNKNOWN_SERVER$/m);
  });

  it("exits 2 on bad --args, a missing option, or a tampered bundle", () => {
    expect(
      runCli(["policy", "explain", "--policy", bundleFile, "--server", "files", "--tool", "x", "--args", "{not json"])
        .code,
    ).toBe(2);
    expect(
      runCli(["policy", "explain", "--policy", bundleFile, "--server", "files", "--tool", "x", "--args", "[1]"]).code,
    ).toBe(2);
    expect(runCli(["policy", "explain", "--policy", bundleFile, "--tool", "x"]).code).toBe(2);
    const tampered = path.join(dir, "tampered.json");
    const bundle = JSON.parse(fs.readFileSync(bundleFile, "utf8"));
    bundle.access[0].principals.roles.push("Auditor");
    fs.writeFileSync(tampered, JSON.stringify(bundle));
    const r = runCli([
      "policy",
      "explain",
      "--policy",
      tampered,
      "--roles",
      "Auditor",
      "--server",
      "files",
      "--tool",
      "x",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/modified after it was built/);
  });
});
