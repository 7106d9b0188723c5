/**
 * Issue 19, item 9: a package an audit firm can take as it is, through `node bin/gatehouse.js`
 * on Azurite: the manifest says which command produced it, who ran it, when, with which tool
 * version, and how complete it is in words; the zip carries a README with a column dictionary per
 * file; time columns say UTC in the CSV header; the manifest is signed with the gateway's
 * checkpoint key and `evidence verify --public-key` checks that signature offline.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { readZip } from "../../../runtime/core/evidence/zip-reader";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { repoRoot } from "../../../runtime/core/repo-root";
import { ALICE, call, response, testBundle } from "../../unit/evidence/trail-fixture";

const ROOT = repoRoot();
const b = testBundle();
// Each CLI run is a fresh Node process loading every command: slow on a busy 2-core machine.
jest.setTimeout(120_000);
let az: AzuriteInstance;
let tmp: string;
let out: string;
const written: AuditRecord[] = [];

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gatehouse.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      GATEHOUSE_HOME: path.join(tmp, "home"),
      GATEHOUSE_STORAGE_CONNECTION_STRING: az.connectionString,
      GATEHOUSE_TOKEN: undefined,
      GATEHOUSE_SIGNING_KEY_FILE: undefined,
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const key = (name: string) => path.join(tmp, name);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-evidence-pkg-"));
  az = await startAzurite({ location: path.join(tmp, "azurite") });
  fs.writeFileSync(key("b.json"), JSON.stringify(b));
  const gatewayKey = await LocalSigner.create(key("gateway-key.json"));
  fs.writeFileSync(key("gateway.pub.json"), JSON.stringify(await gatewayKey.publicJwk()));
  const other = await LocalSigner.create(key("other-key.json"));
  fs.writeFileSync(key("other.pub.json"), JSON.stringify(await other.publicJwk()));
  const sink = await openBlobAuditSink({
    blobService: BlobServiceClient.fromConnectionString(az.connectionString),
    chainId: "gw-1",
    signer: gatewayKey,
    maxBatchDelayMs: 1,
  });
  written.push(await sink.write(call(b, ALICE, "customers", "get_customer", "allowed", { correlationId: "c-1" })));
  written.push(await sink.write(response(b, ALICE, "c-1")));
  await sink.close();
  out = key("pkg");
  const r = cli([
    "evidence",
    "tool-calls",
    "--from",
    "2020-01-01",
    "--to",
    "2100-01-01T00:00:00Z",
    "--policy",
    key("b.json"),
    "--out",
    out,
    "--signing-key-file",
    key("gateway-key.json"),
  ]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/manifest signed with key/);
}, 120_000);

afterAll(async () => {
  await az?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const manifest = () => JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));

test("the manifest names the exact command, who ran it, when, the tool version, and its completeness in words", () => {
  const m = manifest();
  expect(m.producedBy).toMatchObject({
    command: `gatehouse evidence tool-calls --from 2020-01-01 --to 2100-01-01T00:00:00Z --policy ${key("b.json")} --out ${out} --signing-key-file ${key("gateway-key.json")}`,
    kql: null,
    user: { username: `os:${os.userInfo().username}@${os.hostname()}`, source: "os_user" },
    at: m.extractedAt,
    tool: { name: "gatehouse", version: JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version },
  });
  expect(m.completeness).toBe(
    `All 2 audit record(s) of chain gw-1 (seq 0..1) written between 2020-01-01T00:00:00.000Z (inclusive) and 2100-01-01T00:00:00.000Z (exclusive), UTC, ` +
      "were read from the audit trail after every chain verified; none excluded. The report derives 1 row(s) and 0 exception(s) from them.",
  );
});

test("the zip carries a README with a column dictionary for every file, and the CSV header says UTC", () => {
  const zip = new Map(
    readZip(fs.readFileSync(path.join(out, "tool-calls-evidence.zip"))).map((e) => [
      e.name,
      e.content.toString("utf8"),
    ]),
  );
  const readme = zip.get("README.md")!;
  expect(readme).toContain(manifest().completeness);
  expect(readme).toContain(manifest().producedBy.command);
  const header = zip.get("tool-calls.csv")!.split("\r\n")[0].split(",");
  expect(header).toContain("time (UTC)");
  // Every column of every CSV in the package is explained in the README.
  for (const [name, text] of zip) {
    if (!name.endsWith(".csv")) continue;
    for (const col of text.split("\r\n")[0].split(","))
      expect([name, readme.includes(`| \`${col}\` |`)]).toEqual([name, true]);
  }
  expect(readme).not.toContain("(undocumented)");
  expect(manifest().files.map((f: { name: string }) => f.name)).toContain("README.md");
});

test("evidence verify checks the manifest signature offline with the public key alone", () => {
  const ok = cli([
    "evidence",
    "verify",
    path.join(out, "tool-calls-evidence.zip"),
    "--public-key",
    key("gateway.pub.json"),
    "--json",
  ]);
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, signature: "valid", problems: [] });
  // Another key (even under the gateway key's kid) does not verify it.
  const other = JSON.parse(fs.readFileSync(key("other.pub.json"), "utf8"));
  fs.writeFileSync(key("impostor.pub.json"), JSON.stringify({ ...other, kid: manifest().signature.kid }));
  const wrong = cli(["evidence", "verify", out, "--public-key", key("impostor.pub.json"), "--json"]);
  expect(wrong.code).toBe(1);
  expect(JSON.parse(wrong.stdout).signature).toBe("invalid");
  expect(cli(["evidence", "verify", out, "--public-key", key("other.pub.json")]).code).toBe(1);
});

test("a manifest edited consistently (hashes recomputed) fails on its signature; an unsigned one fails when a key is given", () => {
  const edited = key("edited");
  fs.cpSync(out, edited, { recursive: true });
  fs.rmSync(path.join(edited, "tool-calls-evidence.zip"));
  const m = manifest();
  m.completeness = m.completeness.replace("none excluded", "none excluded (edited)");
  fs.writeFileSync(path.join(edited, "manifest.json"), JSON.stringify(m, null, 2) + "\n");
  const bad = cli(["evidence", "verify", edited, "--public-key", key("gateway.pub.json"), "--json"]);
  expect(bad.code).toBe(1);
  expect(JSON.parse(bad.stdout)).toMatchObject({ signature: "invalid" });
  delete m.signature;
  fs.writeFileSync(path.join(edited, "manifest.json"), JSON.stringify(m, null, 2) + "\n");
  const unsigned = cli(["evidence", "verify", edited, "--public-key", key("gateway.pub.json"), "--json"]);
  expect(unsigned.code).toBe(1);
  expect(JSON.parse(unsigned.stdout).signature).toBe("unsigned");
  // Without a key, hashes and completeness still verify; the output says authorship was not checked.
  const noKey = cli(["evidence", "verify", edited]);
  expect(noKey.code).toBe(0);
  expect(noKey.stdout).toMatch(/manifest NOT signed/);
});
