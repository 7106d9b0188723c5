/**
 * Issue 19, item 10: every CLI export is itself an audit record (`evidence.exported`), written
 * through the configured store before any file: who (the token's claims when given, else the OS
 * user, marked as such), what, the period, and the sha256 of the manifest handed out. An export
 * that cannot be recorded is not made. Through `node bin/gatehouse.js` on Azurite.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { UnsecuredJWT } from "jose";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { sha256Hex } from "../../../runtime/core/policy-model/canonical-json";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { repoRoot } from "../../../runtime/core/repo-root";
import { ALICE, call, response, testBundle } from "../../unit/evidence/trail-fixture";

const ROOT = repoRoot();
const b = testBundle();
// Each CLI run is a fresh Node process loading every command: slow on a busy 2-core machine.
jest.setTimeout(120_000);
let az: AzuriteInstance;
let tmp: string;
let blobService: BlobServiceClient;

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gatehouse.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      GATEHOUSE_HOME: path.join(tmp, "home"),
      GATEHOUSE_STORAGE_CONNECTION_STRING: az.connectionString,
      GATEHOUSE_TOKEN: undefined,
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function exportRecords(): Promise<AuditRecord[]> {
  const trail = await readAuditTrail({ blobService });
  return [...trail.chains.values()].flat().filter((r) => r.kind === "evidence.exported");
}

const args = (out: string) => [
  "evidence",
  "tool-calls",
  "--from",
  "2020-01-01",
  "--to",
  "2100-01-01",
  "--policy",
  path.join(tmp, "b.json"),
  "--out",
  out,
  "--chain",
  "cli-test",
];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-evidence-rec-"));
  az = await startAzurite({ location: path.join(tmp, "azurite") });
  fs.writeFileSync(path.join(tmp, "b.json"), JSON.stringify(b));
  blobService = BlobServiceClient.fromConnectionString(az.connectionString);
  const sink = await openBlobAuditSink({ blobService, chainId: "gw-1", maxBatchDelayMs: 1 });
  await sink.write(call(b, ALICE, "customers", "get_customer", "allowed", { correlationId: "c-1" }));
  await sink.write(response(b, ALICE, "c-1"));
  await sink.close();
}, 120_000);

afterAll(async () => {
  await az?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("with a token: recorded as the token's identity (claims, marked unverified), with the period and the manifest's sha256", async () => {
  const token = new UnsecuredJWT({
    oid: "oid-carol",
    tid: "tenant-1",
    preferred_username: "carol@gatehouse.local",
  }).encode();
  const out = path.join(tmp, "with-token");
  const r = cli([...args(out), "--json"], { GATEHOUSE_TOKEN: token });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const printed = JSON.parse(r.stdout);
  const recs = await exportRecords();
  expect(recs).toHaveLength(1);
  const [rec] = recs;
  expect(printed.exportRecord).toEqual({ id: rec.id, chainId: "cli-test", seq: rec.seq });
  expect(rec.actor).toMatchObject({ oid: "oid-carol", tenantId: "tenant-1", username: "carol@gatehouse.local" });
  expect(rec.details).toMatchObject({
    via: "cli",
    actorSource: "token_claims",
    report: { name: "tool-calls" },
    period: { from: "2020-01-01T00:00:00.000Z", to: "2100-01-01T00:00:00.000Z" },
    manifestSha256: sha256Hex(fs.readFileSync(path.join(out, "manifest.json"))),
    recordCount: 2,
  });
  expect(rec.action.method).toMatch(/^gatehouse evidence tool-calls --from 2020-01-01 /);
});

test("without a token: recorded as the OS user, marked as such; a secret in the command line is not recorded", async () => {
  const out = path.join(tmp, "os-user");
  const r = cli([...args(out), "--connection-string", az.connectionString], {
    GATEHOUSE_STORAGE_CONNECTION_STRING: undefined,
  });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/recorded as audit event \S+ \(evidence\.exported/);
  const rec = (await exportRecords()).pop()!;
  expect(rec.actor).toMatchObject({ oid: null, username: `os:${os.userInfo().username}@${os.hostname()}` });
  expect(rec.details).toMatchObject({
    actorSource: "os_user",
    manifestSha256: sha256Hex(fs.readFileSync(path.join(out, "manifest.json"))),
  });
  expect(rec.action.method).toContain("--connection-string [REDACTED]");
  expect(JSON.stringify(rec)).not.toContain("AccountKey");
});

test("audit export is an export too: recorded with the sha256 of its manifest, before its files; a --token value is not recorded", async () => {
  const out = path.join(tmp, "all.jsonl");
  const token = new UnsecuredJWT({ oid: "oid-dave", preferred_username: "dave@gatehouse.local" }).encode();
  const r = cli([
    "audit",
    "export",
    "--from",
    "2020-01-01",
    "--to",
    "2100-01-01",
    "--format",
    "jsonl",
    "--out",
    out,
    "--chain",
    "cli-test",
    `--token=${token}`,
  ]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const rec = (await exportRecords()).pop()!;
  expect(rec.action.name).toBe("audit-export");
  expect(rec.actor).toMatchObject({ oid: "oid-dave", username: "dave@gatehouse.local" });
  expect(rec.action.method).toContain("--token=[REDACTED]");
  expect(JSON.stringify(rec)).not.toContain(token);
  expect(rec.details).toMatchObject({
    via: "cli",
    actorSource: "token_claims",
    period: { from: "2020-01-01T00:00:00.000Z", to: "2100-01-01T00:00:00.000Z" },
    manifestSha256: sha256Hex(fs.readFileSync(`${out}.manifest.json`)),
    files: [{ name: "all.jsonl", sha256: sha256Hex(fs.readFileSync(out)) }],
  });
});

test("an export that cannot be recorded (read-only credentials) is not made: exit 3, no file written", async () => {
  const key = /AccountKey=([^;]+)/.exec(az.connectionString)![1];
  const account = /AccountName=([^;]+)/.exec(az.connectionString)![1];
  const sas = generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 3_600_000),
      permissions: AccountSASPermissions.parse("rl"),
      resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
      services: AccountSASServices.parse("b").toString(),
    },
    new StorageSharedKeyCredential(account, key),
  ).toString();
  const readOnly = `BlobEndpoint=${blobService.url.replace(/\/$/, "")};SharedAccessSignature=${sas}`;
  const before = (await exportRecords()).length;
  const out = path.join(tmp, "read-only");
  const r = cli(args(out), { GATEHOUSE_STORAGE_CONNECTION_STRING: readOnly });
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/could not be recorded in the audit trail/);
  expect(fs.existsSync(path.join(out, "manifest.json"))).toBe(false);
  expect((await exportRecords()).length).toBe(before);
  const audit = cli(
    [
      "audit",
      "export",
      "--from",
      "2020-01-01",
      "--to",
      "2100-01-01",
      "--format",
      "csv",
      "--out",
      path.join(out, "all.csv"),
    ],
    { GATEHOUSE_STORAGE_CONNECTION_STRING: readOnly },
  );
  expect(audit.code).toBe(3);
  expect(fs.existsSync(path.join(out, "all.csv"))).toBe(false);
  expect((await exportRecords()).length).toBe(before);
});
