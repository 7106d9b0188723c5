/**
 * Evidence is refused from a trail that does not verify: a modified record, or a checkpoint whose
 * signature was forged, makes `gatehouse evidence` exit 1 without writing a package (the chain
 * check is the audit module's verifyChains, through runReport).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { repoRoot } from "../../../runtime/core/repo-root";
import { ALICE, call, testBundle } from "../../unit/evidence/trail-fixture";

const ROOT = repoRoot();
const bundle = testBundle();
let az: AzuriteInstance;
let tmp: string;
let blobService: BlobServiceClient;
const from = new Date(Date.now() - 3600_000).toISOString();
const to = new Date(Date.now() + 3600_000).toISOString();

function cli(container: string) {
  const out = path.join(tmp, `out-${container}`);
  const r = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "bin", "gatehouse.js"),
      "evidence",
      "tool-calls",
      "--from",
      from,
      "--to",
      to,
      "--out",
      out,
      "--container",
      container,
      "--policy",
      path.join(tmp, "bundle.json"),
      "--public-key",
      path.join(tmp, "public.jwk.json"),
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        GATEHOUSE_HOME: path.join(tmp, "home"),
        GATEHOUSE_STORAGE_CONNECTION_STRING: az.connectionString,
      },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, wrote: fs.existsSync(path.join(out, "manifest.json")) };
}

async function seed(container: string, signer: LocalSigner): Promise<ContainerClient> {
  const sink = await openBlobAuditSink({ blobService, container, chainId: "gw-t", signer, maxBatchDelayMs: 1 });
  for (let i = 0; i < 5; i++)
    await sink.write(call(bundle, ALICE, "files", "read_file", "allowed", { correlationId: `c-${i}` }));
  await sink.close();
  return blobService.getContainerClient(container);
}

/** Rewrites a blob's content in place (delete + recreate): what an attacker with storage access would do. */
async function rewriteAppendBlob(c: ContainerClient, name: string, edit: (text: string) => string): Promise<void> {
  const blob = c.getAppendBlobClient(name);
  const text = edit((await blob.downloadToBuffer()).toString("utf8"));
  await blob.delete();
  await blob.create();
  await blob.appendBlock(text, Buffer.byteLength(text));
}

async function firstBlob(c: ContainerClient, prefix: string): Promise<string> {
  for await (const b of c.listBlobsFlat({ prefix })) return b.name;
  throw new Error(`no blob under ${prefix}`);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-evidence-tamper-"));
  az = await startAzurite({ location: path.join(tmp, "azurite") });
  blobService = BlobServiceClient.fromConnectionString(az.connectionString);
  const signer = await LocalSigner.create();
  fs.writeFileSync(path.join(tmp, "bundle.json"), JSON.stringify(bundle));
  fs.writeFileSync(path.join(tmp, "public.jwk.json"), JSON.stringify(await signer.publicJwk()));
  await seed("intact", signer);
  const rec = await seed("record", signer);
  await rewriteAppendBlob(rec, await firstBlob(rec, "chains/"), (t) => t.replace('"read_file"', '"drop_table"'));
  const cp = await seed("checkpoint", signer);
  const block = cp.getBlockBlobClient(await firstBlob(cp, "checkpoints/"));
  const forged = JSON.parse((await block.downloadToBuffer()).toString("utf8"));
  forged.signature = Buffer.from("forged signature bytes, not the gateway's").toString("base64url");
  await block.delete();
  await block.upload(JSON.stringify(forged), Buffer.byteLength(JSON.stringify(forged)));
}, 120_000);

afterAll(async () => {
  await az?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("an intact trail yields evidence", () => {
  expect(cli("intact")).toMatchObject({ code: 0, wrote: true });
});

test("a container that does not exist yields an empty population, said out loud", () => {
  const r = cli("never-written");
  expect(r).toMatchObject({ code: 0, wrote: true });
  expect(r.stdout).toMatch(/holds no chains/);
});

test("a modified record fails verification: exit 1, no package", () => {
  const r = cli("record");
  expect(r).toMatchObject({ code: 1, wrote: false });
  expect(r.stderr).toMatch(/modified/);
});

test("a forged checkpoint signature fails verification: exit 1, no package", () => {
  const r = cli("checkpoint");
  expect(r).toMatchObject({ code: 1, wrote: false });
  expect(r.stderr).toMatch(/bad_checkpoint_signature/);
});
