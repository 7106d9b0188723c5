/**
 * Issue 19, item 11: the walkthrough's evidence commands, run with no flags against a local stack,
 * print no spurious warning. The stack is recorded as `npm run dev` records it (local-stack.json
 * in GATEHOUSE_HOME, its bundle file, its signing key); the trail is written by the real blob
 * audit sink with the gateway's signer, starting with `gateway.started` as the gateway does. The
 * running bundle's version differs from the declared policies' (the demo servers got other ports).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { writeLocalStack } from "../../../runtime/core/local-stack-file";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { readCheckpoints } from "../../../runtime/core/audit/checkpoint-store";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { repoRoot } from "../../../runtime/core/repo-root";
import { ALICE, BOB, approvalEvent, call, response, testBundle } from "../../unit/evidence/trail-fixture";

const ROOT = repoRoot();
// The running bundle: not the declared policies (another commit, so another version).
const running = testBundle({ commit: "d0d0cafe".repeat(5) });
// Each CLI run is a fresh Node process loading every command: slow on a busy 2-core machine.
jest.setTimeout(120_000);
let az: AzuriteInstance;
let tmp: string;
let home: string;
const today = `${new Date().toISOString().slice(0, 10)}`;
const tomorrow = `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`;

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, GATEHOUSE_HOME: home };
  delete env.GATEHOUSE_STORAGE_CONNECTION_STRING;
  delete env.GATEHOUSE_STORAGE_BLOB_URL;
  delete env.GATEHOUSE_TOKEN;
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gatehouse.js"), ...args], {
    cwd: tmp,
    encoding: "utf8",
    env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-walkthrough-"));
  home = path.join(tmp, "home");
  fs.mkdirSync(home);
  az = await startAzurite({ location: path.join(tmp, "azurite") });
  const signer = await LocalSigner.create(path.join(home, "signing-key.json"));
  fs.writeFileSync(path.join(home, "policy-bundle.json"), JSON.stringify(running));
  writeLocalStack(
    {
      schemaVersion: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      home,
      gatewayUrl: "http://127.0.0.1:1",
      agentUrl: "http://127.0.0.1:2",
      issuerUrl: "http://127.0.0.1:3",
      approvalsUrl: "http://127.0.0.1:1/approvals",
      customersUrl: null,
      mcpUrls: {},
      storageConnectionString: az.connectionString,
      blobEndpoint: "http://127.0.0.1:4/devstoreaccount1",
      tableEndpoint: "http://127.0.0.1:5/devstoreaccount1",
      signingPublicJwk: (await signer.publicJwk()) as unknown as Record<string, unknown>,
      policyBundleFile: path.join(home, "policy-bundle.json"),
      policyVersion: running.version,
      demoFilesDir: home,
    },
    home,
  );
  // The gateway's sink: signer, default checkpoint interval; the first record is gateway.started.
  const blobService = BlobServiceClient.fromConnectionString(az.connectionString);
  const sink = await openBlobAuditSink({ blobService, chainId: "gateway-local", signer, maxBatchDelayMs: 1 });
  await sink.write({
    kind: "gateway.started",
    policyVersion: running.version,
    actor: { oid: null, tenantId: null, username: null },
    decision: { outcome: "info" },
  });
  expect(
    (await readCheckpoints(blobService.getContainerClient("audit"), "gateway-local")).map((c) => c.checkpoint?.seq),
  ).toEqual([0]);
  // The walkthrough: a read (no approval needed), a delete held, approved by bob, run once.
  await sink.write(call(running, ALICE, "customers", "get_customer", "allowed", { correlationId: "c-1" }));
  await sink.write(response(running, ALICE, "c-1"));
  await sink.write(
    call(running, ALICE, "customers", "delete_customer", "approval_requested", {
      correlationId: "c-2",
      approvalId: "ap-1",
      ruleId: "delete-customer",
    }),
  );
  await sink.write(approvalEvent(running, "approval.requested", ALICE, "ap-1", { correlationId: "c-2" }));
  await sink.write(
    approvalEvent(running, "approval.decided", BOB, "ap-1", { requester: ALICE, reason: "ticket 4431" }),
  );
  await sink.write(approvalEvent(running, "approval.consumed", ALICE, "ap-1", { correlationId: "c-2" }));
  await sink.write(response(running, ALICE, "c-2"));
  // The gateway is still running (no closing checkpoint): only the start checkpoint exists.
}, 120_000);

afterAll(async () => {
  await az?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test("audit verify finds the store, its key and the start checkpoint: exit 0, no warning", () => {
  const r = cli(["audit", "verify", "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.warnings).toEqual([]);
  expect(out.chains).toEqual([
    expect.objectContaining({ chainId: "gateway-local", checkpoints: 1, verifiedCheckpoints: 1 }),
  ]);
});

test("evidence with no --policy uses the running bundle: no approval_rule_unverifiable, no warning", () => {
  const tc = cli(["evidence", "tool-calls", "--from", today, "--to", tomorrow, "--out", "evidence/"]);
  expect(tc.stderr).toBe("");
  expect(tc.code).toBe(0);
  expect(tc.stdout).not.toMatch(/warning/i);
  const ap = cli([
    "evidence",
    "approvals",
    "--from",
    today,
    "--to",
    tomorrow,
    "--out",
    "evidence-approvals/",
    "--json",
  ]);
  expect(ap.code).toBe(0);
  const out = JSON.parse(ap.stdout);
  expect(out.exceptions).toEqual([]);
  expect(out.manifest.policy.suppliedVersions[0]).toBe(running.version);
  expect(out.manifest.chainVerification.summary).not.toMatch(/warning/);
});

test("audit verify after the exports: the CLI's own chain is signed with the stack's key too, still no warning", () => {
  const r = cli(["audit", "verify", "--json"]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.warnings).toEqual([]);
  const cliChain = out.chains.find((c: { chainId: string }) => c.chainId.startsWith("cli-"));
  expect(cliChain).toMatchObject({ records: 2, verifiedCheckpoints: 2 });
  // The packages are signed with the stack's key, and verify with it found by default.
  const v = cli(["evidence", "verify", "evidence-approvals/", "--json"]);
  expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, signature: "valid" });
});
