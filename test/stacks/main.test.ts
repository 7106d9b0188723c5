/**
 * The cdktf app as `npm run synth` and `npm run deploy` run it (built: `npm test` builds first).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildDeclaredBundle } from "../../policies";
import { repoRoot } from "../../runtime/core/repo-root";

const main = path.join(repoRoot(), "dist", "main.js");

function runApp(env: Record<string, string>): { status: number | null; stderr: string; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-synth-"));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GATEHOUSE_")));
  const r = spawnSync(process.execPath, [main], {
    env: { ...clean, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, outdir };
}

describe("main.ts", () => {
  const outdirs: string[] = [];
  afterAll(() => {
    for (const d of outdirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("synthesizes the stack with placeholders, says so, and delivers the declared bundle", () => {
    // Pin the commit: HEAD moves while other work lands, and the version covers the commit.
    const { status, stderr, outdir } = runApp({ GATEHOUSE_POLICY_COMMIT: "0123456789abcdef0123456789abcdef01234567" });
    outdirs.push(outdir);
    expect(status).toBe(0);
    expect(stderr).toContain("placeholder values for GATEHOUSE_SUBSCRIPTION_ID");
    // Every suppression is listed in the synth output with its reason.
    expect(stderr).toMatch(/compliance passed: \d+ rules over \d+ resources, 1 suppression/);
    expect(stderr).toContain(
      "CKV_AZURE_33 suppressed on gatehouse/evidence/audit-storage: the audit account holds no queues",
    );
    // The deployer keeps no data-plane role: nothing of GH_IAM_3 is suppressed.
    expect(stderr).not.toContain("GH_IAM_3 suppressed");
    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "gatehouse", "cdk.tf.json"), "utf8"));
    // The declared bundle, delivered as a Key Vault secret written through ARM (re-sent per version).
    const secret = Object.values(
      synthesized.resource.azapi_resource as Record<
        string,
        {
          name: string;
          type: string;
          sensitive_body: { properties: { value: string } };
          sensitive_body_version: Record<string, string>;
        }
      >,
    ).find((r) => r.type.startsWith("Microsoft.KeyVault/vaults/secrets@") && r.name === "policy-bundle")!;
    const declared = buildDeclaredBundle({ commit: "0123456789abcdef0123456789abcdef01234567" });
    expect(secret.sensitive_body_version).toEqual({ "properties.value": declared.version });
    expect(JSON.parse(secret.sensitive_body.properties.value)).toEqual(declared);
    expect(synthesized["//"].gatehouse_compliance.rules.length).toBeGreaterThanOrEqual(40);
  });

  test("deploy mode refuses placeholders and names every missing variable", () => {
    const { status, stderr, outdir } = runApp({ GATEHOUSE_REQUIRE_CONFIG: "1", GATEHOUSE_TENANT_ID: "not-a-guid" });
    outdirs.push(outdir);
    expect(status).toBe(2);
    for (const name of [
      "GATEHOUSE_SUBSCRIPTION_ID",
      "GATEHOUSE_AUDIENCE",
      "GATEHOUSE_GATEWAY_IMAGE",
      "GATEHOUSE_AGENT_IMAGE",
    ]) {
      expect(stderr).toContain(`${name}: received nothing (missing)`);
    }
    expect(stderr).toContain('GATEHOUSE_TENANT_ID: received "not-a-guid"');
    expect(fs.existsSync(path.join(outdir, "stacks", "gatehouse", "cdk.tf.json"))).toBe(false);
  });
});
