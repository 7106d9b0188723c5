/**
 * `gatehouse audit verify` over every region's audit store as one population (issue 18 item 3):
 * repeated --connection-string, one Azurite per region, each region's gateway with its own key.
 * Through the built CLI (node bin/gatehouse.js); needs a build (npm test builds first).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { startAuditAzurite, toolCallEvent, type AzuriteFixture } from "./audit-fixtures";

const repo = path.resolve(__dirname, "..", "..", "..");
const bin = path.join(repo, "bin", "gatehouse.js");
const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    GATEHOUSE_STORAGE_CONNECTION_STRING: "",
    GATEHOUSE_STORAGE_BLOB_URL: "",
    GATEHOUSE_HOME: "",
  };
  try {
    const r = await run(process.execPath, [bin, ...args], { cwd: tmp, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const regions: { fx: AzuriteFixture; keyFile: string; chains: string[] }[] = [];
let tmp: string;
beforeAll(async () => {
  if (!fs.existsSync(path.join(repo, "dist", "runtime", "cli", "audit-stores.js")))
    throw new Error("build first: npx tsc -p tsconfig.build.json");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-audit-regions-"));
  for (const [name, chains] of [
    ["westeurope", ["gw-we-1", "gw-we-2"]],
    ["northeurope", ["gw-ne-1"]],
  ] as const) {
    const fx = await startAuditAzurite();
    const signer = await LocalSigner.create();
    const keyFile = path.join(tmp, `${name}.jwk.json`);
    fs.writeFileSync(keyFile, JSON.stringify(await signer.publicJwk()));
    for (const chainId of chains) {
      const sink = await openBlobAuditSink({ blobService: fx.blobService, chainId, signer });
      for (let i = 0; i < 4; i++) await sink.write(toolCallEvent({ i }));
      await sink.close();
    }
    regions.push({ fx, keyFile, chains: [...chains] });
  }
}, 60_000);
afterAll(async () => {
  await Promise.all(regions.map((r) => r.fx.stop()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const storeArgs = () => regions.flatMap((r) => ["--connection-string", r.fx.azurite.connectionString]);
const keyArgs = () => regions.flatMap((r) => ["--public-key", r.keyFile]);

describe("gatehouse audit verify over several regions' stores", () => {
  test("every region's chains verify as one population; the report says which store holds which chain", async () => {
    const r = await cli(["audit", "verify", "--json", ...storeArgs(), ...keyArgs()]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(true);
    expect(report.chains.map((c: { chainId: string }) => c.chainId).sort()).toEqual(["gw-ne-1", "gw-we-1", "gw-we-2"]);
    expect(
      new Set(
        report.chains
          .filter((c: { chainId: string }) => c.chainId.startsWith("gw-we"))
          .map((c: { store: string }) => c.store),
      ).size,
    ).toBe(1);
    for (const c of report.chains) expect(c.verifiedCheckpoints).toBeGreaterThan(0);
    expect(report.stores.map((s: { chains: string[] }) => s.chains.sort())).toEqual([
      ["gw-we-1", "gw-we-2"],
      ["gw-ne-1"],
    ]);
    // A connection string may hold a key: the report names stores by their blob endpoint only.
    expect(r.stdout).not.toContain("AccountKey");
  });

  test("one region's key alone does not vouch for the other region's checkpoints", async () => {
    const r = await cli(["audit", "verify", "--json", ...storeArgs(), "--public-key", regions[0].keyFile]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const ne = report.chains.find((c: { chainId: string }) => c.chainId === "gw-ne-1");
    expect(ne.problem).not.toBeNull();
  });

  test("the same store named twice is refused (exit 2): its chains would be counted twice", async () => {
    const cs = regions[0].fx.azurite.connectionString;
    const r = await cli(["audit", "verify", "--connection-string", cs, "--connection-string", cs, ...keyArgs()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("named twice");
  });

  test("a chain of the same name in two stores (a CLI's exports recorded per region) is two chains, each verified in its store", async () => {
    for (const [i, region] of regions.entries()) {
      const signer = await LocalSigner.create();
      const keyFile = path.join(tmp, `cli-${i}.jwk.json`);
      fs.writeFileSync(keyFile, JSON.stringify(await signer.publicJwk()));
      const sink = await openBlobAuditSink({ blobService: region.fx.blobService, chainId: "cli-auditor", signer });
      await sink.write(toolCallEvent({ i }));
      await sink.close();
    }
    const r = await cli([
      "audit",
      "verify",
      "--json",
      ...storeArgs(),
      ...keyArgs(),
      "--public-key",
      path.join(tmp, "cli-0.jwk.json"),
      "--public-key",
      path.join(tmp, "cli-1.jwk.json"),
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const cliChains = report.chains.filter((c: { chainId: string }) => c.chainId === "cli-auditor");
    expect(cliChains).toHaveLength(2);
    expect(new Set(cliChains.map((c: { store: string }) => c.store)).size).toBe(2);
  });

  test("a record forged in one region's chain fails the whole population (exit 1), on that chain", async () => {
    const blob = regions[1].fx.blobService
      .getContainerClient("audit")
      .getAppendBlobClient("chains/gw-ne-1/000001.jsonl");
    const lines = (await blob.downloadToBuffer()).toString("utf8").split("\n").filter(Boolean);
    const forged = lines[1] + "\n";
    await blob.appendBlock(forged, Buffer.byteLength(forged));
    const r = await cli(["audit", "verify", ...storeArgs(), ...keyArgs()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/chain gw-ne-1 in .*: .*PROBLEM/);
    expect(r.stdout).toMatch(/chain gw-we-1 in .*: ok/);
    expect(r.stdout).toMatch(/^store .*: 2 chain\(s\) \(cli-auditor, gw-ne-1\)$/m);
  });

  test("export still reads one store and says so when given several (exit 2)", async () => {
    const r = await cli([
      "audit",
      "export",
      ...storeArgs(),
      "--from",
      "2020-01-01",
      "--to",
      "2100-01-01",
      "--format",
      "jsonl",
      "--out",
      path.join(tmp, "x.jsonl"),
    ]);
    expect(r.code).toBe(2);
  });
});
