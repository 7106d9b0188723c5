/**
 * Issue 19, item 8: the defects an auditor found in real packages, each pinned through the CLI on
 * a trail written by the real blob audit sink on Azurite, in the shape the gateway writes it: a
 * rejected approval; a call refused with ERR_APPROVAL_PENDING, approved a minute later and
 * retried under a new correlation id; masked arguments on every call.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { sha256Hex } from "../../../runtime/core/policy-model/canonical-json";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { parseCsv } from "../../../runtime/core/evidence/csv";
import { repoRoot } from "../../../runtime/core/repo-root";
import { ALICE, BOB, approvalEvent, call, testBundle } from "../../unit/evidence/trail-fixture";

const ROOT = repoRoot();
const b = testBundle();
// Each CLI run is a fresh Node process loading every command: slow on a busy 2-core machine.
jest.setTimeout(120_000);
let az: AzuriteInstance;
let tmp: string;
const rec: Record<string, AuditRecord> = {};

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gatehouse.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      GATEHOUSE_HOME: path.join(tmp, "home"),
      GATEHOUSE_STORAGE_CONNECTION_STRING: az.connectionString,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** CSV rows as objects keyed by the header. */
function csvObjects(file: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-evidence-fix-"));
  az = await startAzurite({ location: path.join(tmp, "azurite") });
  fs.writeFileSync(path.join(tmp, "b.json"), JSON.stringify(b));
  const sink = await openBlobAuditSink({
    blobService: BlobServiceClient.fromConnectionString(az.connectionString),
    chainId: "gw-1",
    maxBatchDelayMs: 1,
  });
  const masked = { ids: ["c-1003"], note: "[REDACTED:email]" };
  const withArgs = (e: ReturnType<typeof call>) => ({ ...e, action: { ...e.action, arguments: masked } });
  // Rejected: requested by alice, rejected by bob.
  await sink.write(
    withArgs(
      call(b, ALICE, "customers", "delete_customer", "approval_requested", {
        correlationId: "c-r",
        approvalId: "ap-r",
        ruleId: "delete-customer",
      }),
    ),
  );
  await sink.write(approvalEvent(b, "approval.requested", ALICE, "ap-r", { correlationId: "c-r" }));
  await sink.write(
    approvalEvent(b, "approval.decided", BOB, "ap-r", {
      requester: ALICE,
      outcome: "approval_rejected",
      reason: "not today",
    }),
  );
  // Pending: the client gave up (ERR_APPROVAL_PENDING), bob approved later, the retry consumed it.
  await sink.write(
    withArgs(
      call(b, ALICE, "customers", "delete_customer", "approval_requested", {
        correlationId: "c-p",
        approvalId: "ap-p",
        ruleId: "delete-customer",
      }),
    ),
  );
  await sink.write(approvalEvent(b, "approval.requested", ALICE, "ap-p", { correlationId: "c-p" }));
  const refused = withArgs(
    call(b, ALICE, "customers", "delete_customer", "denied", {
      correlationId: "c-p",
      approvalId: "ap-p",
      ruleId: "delete-customer",
    }),
  );
  rec.pending = await sink.write({ ...refused, decision: { ...refused.decision, code: "ERR_APPROVAL_PENDING" } });
  await sink.write(approvalEvent(b, "approval.decided", BOB, "ap-p", { requester: ALICE, reason: "ticket 4431" }));
  rec.retry = await sink.write(
    withArgs(
      call(b, ALICE, "customers", "delete_customer", "approval_requested", {
        correlationId: "c-retry",
        ruleId: "delete-customer",
      }),
    ),
  );
  const consumed = approvalEvent(b, "approval.consumed", ALICE, "ap-p", { correlationId: "c-p" });
  await sink.write({ ...consumed, details: { ...consumed.details, consumedBy: "c-retry" } });
  await sink.close();
}, 120_000);

afterAll(async () => {
  await az?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const period = ["--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--policy"];

test("Defect 1: approvals.csv names the rejecting approver (rejectedBy), who is not an approver", () => {
  const out = path.join(tmp, "approvals");
  const r = cli(["evidence", "approvals", ...period, path.join(tmp, "b.json"), "--out", out]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const row = csvObjects(path.join(out, "approvals.csv")).find((x) => x.approvalId === "ap-r");
  expect(row).toMatchObject({ state: "rejected", approvers: "", rejectedBy: BOB.username, reasons: "not today" });
});

test("Defect 2: the call refused with ERR_APPROVAL_PENDING lists no approver; the retry that ran lists bob", () => {
  const out = path.join(tmp, "tool-calls");
  expect(cli(["evidence", "tool-calls", ...period, path.join(tmp, "b.json"), "--out", out]).code).toBe(0);
  const rows = csvObjects(path.join(out, "tool-calls.csv"));
  expect(rows.find((x) => x.correlationId === "c-p")).toMatchObject({
    decision: "denied",
    code: "ERR_APPROVAL_PENDING",
    executed: "false",
    approvers: "",
  });
  expect(rows.find((x) => x.correlationId === "c-retry")).toMatchObject({
    executed: "true",
    approvalId: "ap-p",
    approvers: BOB.username,
  });
});

test("Defect 3: tool-calls.csv carries the masked arguments and their sha256, in CSV and JSONL", () => {
  const out = path.join(tmp, "tool-calls");
  const row = csvObjects(path.join(out, "tool-calls.csv")).find((x) => x.correlationId === "c-retry")!;
  expect(row.arguments).toBe('{"ids":["c-1003"],"note":"[REDACTED:email]"}');
  expect(row.argumentsSha256).toBe(sha256Hex(row.arguments));
  const doc = fs
    .readFileSync(path.join(out, "tool-calls.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
    .find((d) => d.eventId === rec.retry.id);
  expect(doc).toMatchObject({ arguments: row.arguments, argumentsSha256: row.argumentsSha256 });
});
