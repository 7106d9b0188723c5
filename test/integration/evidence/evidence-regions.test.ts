/**
 * Evidence over every region's audit store as one population (issue 18 item 3): two Azurite
 * accounts, one gateway key per region, the report run once through `node bin/gatehouse.js
 * evidence ...` with a repeated --connection-string; the manifest lists each store with its chains
 * (their seq ranges in `chains`). Build first: npx tsc -p tsconfig.build.json.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { repoRoot } from "../../../runtime/core/repo-root";
import { ALICE, call, response, testBundle } from "../../unit/evidence/trail-fixture";

const ROOT = repoRoot();
const HEAD = spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim();
const b1 = testBundle({ commit: HEAD });
jest.setTimeout(120_000);

let tmp: string;
let from: string;
let to: string;
const regions: { name: string; az: AzuriteInstance; chainId: string }[] = [];

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gatehouse.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      GATEHOUSE_HOME: path.join(tmp, "home"),
      GATEHOUSE_STORAGE_CONNECTION_STRING: "",
      GATEHOUSE_STORAGE_BLOB_URL: "",
      GATEHOUSE_SIGNING_KEY_FILE: path.join(tmp, "westeurope-key.json"),
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-evidence-regions-"));
  fs.writeFileSync(path.join(tmp, "b1.json"), JSON.stringify(b1));
  from = new Date(Date.now() - 60_000).toISOString();
  const jwks = [];
  for (const [name, chainId] of [
    ["westeurope", "gw-we"],
    ["northeurope", "gw-ne"],
  ]) {
    const az = await startAzurite({ location: path.join(tmp, `azurite-${name}`) });
    const signer = await LocalSigner.create(path.join(tmp, `${name}-key.json`));
    jwks.push(await signer.publicJwk());
    const sink = await openBlobAuditSink({
      blobService: BlobServiceClient.fromConnectionString(az.connectionString),
      chainId,
      signer,
      maxBatchDelayMs: 1,
    });
    await sink.write(call(b1, ALICE, "customers", "list_customers", "allowed", { correlationId: `c-${name}` }));
    await sink.write(response(b1, ALICE, `c-${name}`));
    await sink.close();
    regions.push({ name, az, chainId });
  }
  // One JWK set with every region's key: each region signs its own checkpoints.
  fs.writeFileSync(path.join(tmp, "keys.jwks.json"), JSON.stringify({ keys: jwks }));
  to = new Date(Date.now() + 60_000).toISOString();
});
afterAll(async () => {
  await Promise.all(regions.map((r) => r.az.stop()));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("one report over both regions: every region's calls, the manifest lists each store's chains and their ranges", () => {
  const out = path.join(tmp, "out");
  const stores = regions.flatMap((r) => ["--connection-string", r.az.connectionString]);
  const r = cli([
    "evidence",
    "tool-calls",
    "--from",
    from,
    "--to",
    to,
    "--out",
    out,
    "--json",
    "--policy",
    path.join(tmp, "b1.json"),
    "--public-key",
    path.join(tmp, "keys.jwks.json"),
    ...stores,
  ]);
  expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  expect(manifest.source.endpoint).toBeNull();
  expect(manifest.source.stores).toHaveLength(2);
  for (const [i, region] of regions.entries()) {
    expect(manifest.source.stores[i].chains).toContain(region.chainId);
    expect(manifest.source.stores[i].endpoint).not.toContain("AccountKey");
    const range = manifest.chains.find((c: { chainId: string }) => c.chainId === region.chainId);
    expect(range).toEqual(expect.objectContaining({ firstSeq: 0, lastSeq: 1, recordCount: 2, contiguous: true }));
  }
  expect(manifest.rowCount).toBe(2);
  expect(manifest.chainVerification.ok).toBe(true);

  // The signed package verifies offline with the regions' keys.
  const verified = cli(["evidence", "verify", out, "--public-key", path.join(tmp, "keys.jwks.json")]);
  expect({ code: verified.code, out: verified.code === 0 ? "" : verified.stdout + verified.stderr }).toEqual({
    code: 0,
    out: "",
  });
});

test("the export is recorded in the first store named", async () => {
  const [first, second] = await Promise.all(
    regions.map((r) => readAuditTrail({ blobService: BlobServiceClient.fromConnectionString(r.az.connectionString) })),
  );
  const exported = (t: typeof first) => [...t.chains.values()].flat().filter((rec) => rec.kind === "evidence.exported");
  expect(exported(first).length).toBeGreaterThan(0);
  expect(exported(second)).toEqual([]);
});

test("a chain id in two stores is refused (exit 2) and nothing is written: a report keys records by chain", async () => {
  for (const r of regions) {
    const sink = await openBlobAuditSink({
      blobService: BlobServiceClient.fromConnectionString(r.az.connectionString),
      chainId: "cli-same-name",
      maxBatchDelayMs: 1,
    });
    await sink.write(call(b1, ALICE, "customers", "list_customers", "allowed", { correlationId: `dup-${r.name}` }));
    await sink.close();
  }
  const out = path.join(tmp, "dup");
  const stores = regions.flatMap((r) => ["--connection-string", r.az.connectionString]);
  const r = cli([
    "evidence",
    "tool-calls",
    "--from",
    from,
    "--to",
    to,
    "--out",
    out,
    "--policy",
    path.join(tmp, "b1.json"),
    "--public-key",
    path.join(tmp, "keys.jwks.json"),
    ...stores,
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("cli-same-name");
  expect(fs.existsSync(path.join(out, "manifest.json"))).toBe(false);
});
