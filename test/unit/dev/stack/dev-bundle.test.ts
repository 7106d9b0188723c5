import path from "node:path";
import { buildDeclaredBundle } from "../../../../policies";
import { devBundle } from "../../../../dev/stack/dev-bundle";
import { repoRoot } from "../../../../runtime/core/repo-root";

describe("the local stack's policy bundle", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ["GATEHOUSE_DEMO_FILES_DIR", "GATEHOUSE_DEMO_CUSTOMERS_URL"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test("with default ports and folder it is the declared bundle, byte for byte", () => {
    const dev = devBundle({
      customersUrl: "http://127.0.0.1:8091/mcp",
      demoFilesDir: path.join(repoRoot(), ".gatehouse", "demo-files"),
    });
    delete process.env.GATEHOUSE_DEMO_FILES_DIR;
    delete process.env.GATEHOUSE_DEMO_CUSTOMERS_URL;
    expect(dev).toEqual(buildDeclaredBundle({ cwd: repoRoot() }));
  });

  test("points the servers at this stack's endpoints and keeps every rule", () => {
    const dev = devBundle({ customersUrl: "http://127.0.0.1:45678/mcp", demoFilesDir: "/tmp/gh-home/demo-files" });
    const customers = dev.servers.find((s) => s.name === "customers")!;
    expect(customers.transport).toEqual({ type: "http", url: "http://127.0.0.1:45678/mcp" });
    const files = dev.servers.find((s) => s.name === "files")!;
    expect(files.transport.type === "stdio" && files.transport.args.at(-1)).toBe("/tmp/gh-home/demo-files");
    const declared = buildDeclaredBundle({ cwd: repoRoot() });
    expect(dev.access).toEqual(declared.access);
    expect(dev.approvals).toEqual(declared.approvals);
    expect(dev.guardrails).toEqual(declared.guardrails);
    expect(dev.masking).toEqual(declared.masking);
  });
});
