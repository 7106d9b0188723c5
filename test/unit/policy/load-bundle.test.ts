import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadBundleFile, parseBundle } from "../../../runtime/core/policy/load-bundle";
import { GatehouseError } from "../../../runtime/core/errors";
import { fixtureBundle } from "./bundle-fixture";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-bundle-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GatehouseError);
    expect((e as GatehouseError).code).toBe("ERR_POLICY_INVALID");
    return (e as GatehouseError).details.problems as string[];
  }
  throw new Error("expected ERR_POLICY_INVALID");
}

describe("loadBundleFile", () => {
  it("loads a sealed bundle", () => {
    const bundle = fixtureBundle();
    expect(loadBundleFile(write("ok.json", JSON.stringify(bundle)))).toEqual(bundle);
  });

  it("refuses a missing file, non-JSON and a schema violation", () => {
    expect(problemsOf(() => loadBundleFile(path.join(dir, "missing.json")))[0]).toMatch(/ENOENT/);
    expect(problemsOf(() => loadBundleFile(write("text.json", "not json"))).length).toBe(1);
    const problems = problemsOf(() =>
      loadBundleFile(write("schema.json", JSON.stringify({ schemaVersion: 2, servers: "x" }))),
    );
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it("refuses a bundle edited after it was sealed", () => {
    const bundle = fixtureBundle();
    const tampered = {
      ...bundle,
      access: bundle.access.map((r) => ({ ...r, principals: { roles: ["Everyone"], groups: [] } })),
    };
    expect(problemsOf(() => loadBundleFile(write("tampered.json", JSON.stringify(tampered))))[0]).toMatch(/^version/);
  });
});

describe("parseBundle", () => {
  it("lists every semantic problem at once", () => {
    const bundle = fixtureBundle({
      access: [
        { id: "a", principals: { roles: ["R"] }, servers: ["ghost"], mode: "standing" },
        {
          id: "a",
          principals: { roles: ["R"] },
          servers: ["files"],
          mode: "standing",
          argumentConstraints: [{ tool: "*", predicates: [{ path: "p", op: "regex", value: "(?=x)" }] }],
        },
      ],
      approvals: [{ id: "ap", servers: ["nowhere-*"], tools: ["*"], approvers: { roles: ["Approver"] } }],
      guardrails: [{ id: "g", servers: ["*"], on: "result", message: "m" }],
      masking: [{ id: "m", patterns: [{ name: "p", regex: "(a)\\1" }] }],
    });
    const problems = problemsOf(() => parseBundle(bundle));
    expect(problems).toHaveLength(6);
    expect(problems.join("\n")).toMatch(/duplicate id 'a'/);
    expect(problems.join("\n")).toMatch(/unknown server 'ghost'/);
  });
});
