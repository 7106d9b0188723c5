import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO, runCli } from "./run-cli";

/**
 * GIVEN a real git repository with the policy library and a small organisation, two commits
 * (the second widens access, weakens masking, drops an approval and adds a guardrail)
 * WHEN `gatehouse policy diff --base HEAD~1` runs in it
 * THEN the report groups the changes by risk and --fail-on-widen fails without the label.
 */
const repo = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-policy-diff-"));
const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function org(v: {
  staffTools: string[];
  contractor: boolean;
  style: "redact" | "last4";
  approval: boolean;
  guardrail: boolean;
}): string {
  return `
import { AccessRule, ApprovalRule, compileBundle, Detector, Guardrail, MaskingRule, McpServer, PolicySet, type CompileOptions } from "./lib";
export function buildDeclaredBundle(options: CompileOptions = {}) {
  const set = new PolicySet("org");
  const crm = new McpServer(set, "crm", { url: "https://crm.example.com/mcp" });
  const wiki = new McpServer(set, "wiki", { url: "https://wiki.example.com/mcp" });
  new AccessRule(set, "staff", { principals: { roles: ["Staff"] }, servers: [crm, wiki], mode: "standing", tools: { allow: ${JSON.stringify(v.staffTools)} } });
  ${v.contractor ? `new AccessRule(set, "contractors", { principals: { roles: ["Contractor"] }, servers: [wiki], mode: "standing", tools: { allow: ["*"] } });` : ""}
  new MaskingRule(set, "pii", { detectors: [Detector.EMAIL, Detector.US_SSN], style: "${v.style}" });
  ${v.approval ? `new ApprovalRule(set, "crm-writes", { servers: [crm], tools: ["update_*"], approvers: { roles: ["Lead"] } });` : ""}
  ${v.guardrail ? `new Guardrail(set, "no-bulk", { servers: [crm], tools: ["update_*"], when: [{ path: "ids", op: "lengthGt", value: 10 }], message: "too many" });` : ""}
  return compileBundle(set, options);
}
`;
}

beforeAll(() => {
  // The policy library as it is in this repository, and what it imports from the runtime.
  for (const f of ["policies/lib", "runtime/core/policy-model", "runtime/core/errors.ts"]) {
    fs.cpSync(path.join(REPO, f), path.join(repo, f), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(repo, "node_modules"), "dir");
  fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n");
  git("init", "-q", "-b", "main");
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "test");
  fs.writeFileSync(
    path.join(repo, "policies/index.ts"),
    org({ staffTools: ["get_*", "update_*"], contractor: false, style: "redact", approval: true, guardrail: false }),
  );
  git("add", ".");
  git("commit", "-q", "-m", "base policies");
  fs.writeFileSync(
    path.join(repo, "policies/index.ts"),
    org({
      staffTools: ["get_*", "update_*", "delete_*"],
      contractor: true,
      style: "last4",
      approval: false,
      guardrail: true,
    }),
  );
  git("commit", "-q", "-am", "widen");
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

describe("gatehouse policy diff", () => {
  it("reports the changes between two commits by risk (JSON)", () => {
    const r = runCli(["policy", "diff", "--base", "HEAD~1", "--json"], { cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.base.commit).toBe(git("rev-parse", "HEAD~1").trim());
    expect(report.head.commit).toBe(git("rev-parse", "HEAD").trim());
    expect(report.widened).toBe(true);
    const by = (cat: string) =>
      report.changes.filter((c: { category: string }) => c.category === cat).map((c: { text: string }) => c.text);
    expect(by("access-widened")).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/role Staff on `crm` \(standing\): tools allowed `delete_\*`/),
        expect.stringMatching(/role Contractor on `wiki` \(standing\): gains access/),
      ]),
    );
    expect(by("masking-weakened")).toEqual([expect.stringMatching(/rule `pii` style redact -> last4/)]);
    expect(by("approvals-removed")).toEqual([expect.stringMatching(/approval rule `crm-writes` removed/)]);
    expect(by("guardrails-added")).toEqual([expect.stringMatching(/guardrail `no-bulk` added/)]);
    expect(by("access-narrowed")).toEqual([]);
  });

  it("prints Markdown and fails on widening without the label, passes with it", () => {
    const failing = runCli(["policy", "diff", "--base", "HEAD~1", "--fail-on-widen"], { cwd: repo });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^## Gatehouse policy diff/);
    expect(failing.stdout).toMatch(
      /### Access widened[\s\S]*### Masking weakened[\s\S]*### Approvals removed or relaxed[\s\S]*### Guardrails added or tightened/,
    );
    const labelled = runCli(["policy", "diff", "--base", "HEAD~1", "--fail-on-widen", "--label-present"], {
      cwd: repo,
    });
    expect(labelled.code).toBe(0);
  });

  it("diffs uncommitted working-tree edits: narrowing passes --fail-on-widen", () => {
    const index = path.join(repo, "policies/index.ts");
    const committed = fs.readFileSync(index, "utf8");
    try {
      fs.writeFileSync(
        index,
        org({ staffTools: ["get_*", "update_*"], contractor: false, style: "last4", approval: false, guardrail: true }),
      );
      const r = runCli(["policy", "diff", "--base", "HEAD", "--fail-on-widen", "--json"], { cwd: repo });
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.widened).toBe(false);
      expect(report.changes.map((c: { category: string }) => c.category).sort()).toEqual([
        "access-narrowed",
        "access-narrowed",
        "access-narrowed",
      ]); // Staff on crm and wiki, Contractor on wiki
    } finally {
      fs.writeFileSync(index, committed);
    }
  });

  it("exits 1 listing the problems when the working tree's policies are invalid, and 2 for an unknown ref", () => {
    const index = path.join(repo, "policies/index.ts");
    const committed = fs.readFileSync(index, "utf8");
    try {
      fs.writeFileSync(index, committed.replace('roles: ["Contractor"]', "roles: []"));
      const r = runCli(["policy", "diff", "--base", "HEAD"], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/org\/contractors: principals is empty/);
    } finally {
      fs.writeFileSync(index, committed);
    }
    expect(runCli(["policy", "diff", "--base", "no-such-ref"], { cwd: repo }).code).toBe(2);
  });
});
