/**
 * The evidence kit end to end: a trail written through the real blob audit sink (with signed
 * checkpoints) on Azurite, every exception kind injected by writing records directly, and the
 * reports run through `node bin/gatehouse.js evidence ...` (build first: npx tsc -p tsconfig.build.json).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { openBlobAuditSink, type BlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import type { AuditEventInput, AuditRecord } from "../../../runtime/core/audit/record-schema";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { parseCsv } from "../../../runtime/core/evidence/csv";
import { verifySampleProof } from "../../../runtime/core/evidence/sample-proof-verifier";
import { repoRoot } from "../../../runtime/core/repo-root";
import { ALICE, BOB, approvalEvent, call, jitEvent, response, testBundle } from "../../unit/evidence/trail-fixture";

const ROOT = repoRoot();
const HEAD = spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim();
const b1 = testBundle({ commit: HEAD });
const b2 = testBundle({ commit: "feedface".repeat(5), maxMinutes: 30 });

// Several CLI runs per test, each a fresh Node process: slow on a busy 2-core machine (and the
// projects in jest.config.js do not apply its testTimeout).
jest.setTimeout(120_000);
let az: AzuriteInstance;
let tmp: string;
let cs: string;
let signer: LocalSigner;
let from: string;
let to: string;
const inWindow = new Map<string, AuditRecord[]>();
const named: Record<string, AuditRecord> = {};

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gatehouse.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      GATEHOUSE_HOME: path.join(tmp, "home"),
      GATEHOUSE_STORAGE_CONNECTION_STRING: cs,
      GATEHOUSE_SIGNING_KEY_FILE: path.join(tmp, "signing-key.json"),
      ...env,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const policyArgs = () => [
  "--policy",
  path.join(tmp, "b1.json"),
  "--policy",
  path.join(tmp, "b2.json"),
  "--public-key",
  path.join(tmp, "public.jwk.json"),
];
const period = () => ["--from", from, "--to", to];
const tick = () => new Promise((r) => setTimeout(r, 15));

async function write(sink: BlobAuditSink, event: AuditEventInput, name?: string, keep = true): Promise<AuditRecord> {
  const rec = await sink.write(event);
  if (keep) inWindow.set(rec.chainId, [...(inWindow.get(rec.chainId) ?? []), rec]);
  if (name) named[name] = rec;
  return rec;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-evidence-int-"));
  az = await startAzurite({ location: path.join(tmp, "azurite") });
  cs = az.connectionString;
  fs.writeFileSync(path.join(tmp, "b1.json"), JSON.stringify(b1));
  fs.writeFileSync(path.join(tmp, "b2.json"), JSON.stringify(b2));
  // The gateway's key in a file: the CLI signs manifests (and its chain's checkpoints) with it.
  signer = await LocalSigner.create(path.join(tmp, "signing-key.json"));
  fs.writeFileSync(path.join(tmp, "public.jwk.json"), JSON.stringify(await signer.publicJwk()));
  const blobService = BlobServiceClient.fromConnectionString(cs);
  const a = await openBlobAuditSink({ blobService, chainId: "gw-a", signer, maxBatchDelayMs: 1 });
  const c = await openBlobAuditSink({ blobService, chainId: "gw-b", signer, maxBatchDelayMs: 1 });
  // Before the period.
  await write(a, call(b1, ALICE, "files", "read_file", "allowed", { correlationId: "early" }), undefined, false);
  await write(c, call(b1, ALICE, "files", "read_file", "allowed", { correlationId: "early-b" }), undefined, false);
  await tick();
  from = new Date().toISOString();
  await tick();
  // A healthy approval flow (c-1) and a plain call (c-2).
  await write(
    a,
    call(b1, ALICE, "customers", "delete_customer", "approval_requested", {
      correlationId: "c-1",
      approvalId: "ap-1",
      ruleId: "delete-customer",
    }),
    "c1",
  );
  await write(a, approvalEvent(b1, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
  await write(a, approvalEvent(b1, "approval.decided", BOB, "ap-1", { requester: ALICE, reason: "ticket ok" }));
  await write(a, approvalEvent(b1, "approval.consumed", ALICE, "ap-1", { correlationId: "c-1" }));
  await write(a, response(b1, ALICE, "c-1"));
  await write(c, call(b1, ALICE, "customers", "get_customer", "allowed", { correlationId: "c-2" }), "c2");
  await write(c, response(b1, ALICE, "c-2"));
  // Injected exceptions: a self-approval, an approval recorded after execution, a gated call
  // executed without approval, an approval used twice.
  await write(a, approvalEvent(b1, "approval.requested", ALICE, "ap-2", { correlationId: "c-x" }));
  await write(a, approvalEvent(b1, "approval.decided", ALICE, "ap-2", { requester: ALICE }));
  await write(a, approvalEvent(b1, "approval.requested", ALICE, "ap-3", { correlationId: "c-3" }));
  await write(
    a,
    call(b1, ALICE, "customers", "delete_customer", "approval_approved", {
      correlationId: "c-3",
      approvalId: "ap-3",
      ruleId: "delete-customer",
    }),
    "c3",
  );
  await write(a, approvalEvent(b1, "approval.decided", BOB, "ap-3", { requester: ALICE }));
  await write(c, call(b1, ALICE, "customers", "delete_customer", "allowed", { correlationId: "c-4" }), "c4");
  await write(
    a,
    call(b1, ALICE, "customers", "delete_customer", "approval_requested", {
      correlationId: "c-5",
      approvalId: "ap-1",
      ruleId: "delete-customer",
    }),
    "c5",
  );
  await write(a, approvalEvent(b1, "approval.consumed", ALICE, "ap-1", { correlationId: "c-5" }));
  // JIT: one healthy, one too long (the rule allows 60), one without a reason.
  await write(
    a,
    jitEvent(b1, "jit.requested", ALICE, "g-1", {
      ruleId: "customers-admin",
      server: "customers",
      minutes: 30,
      reason: "INC-1",
    }),
  );
  await write(
    a,
    jitEvent(b1, "jit.granted", ALICE, "g-1", {
      ruleId: "customers-admin",
      server: "customers",
      minutes: 30,
      reason: "INC-1",
    }),
  );
  await write(
    a,
    jitEvent(b1, "jit.granted", ALICE, "g-2", {
      ruleId: "customers-admin",
      server: "customers",
      minutes: 600,
      reason: "INC-2",
    }),
  );
  await write(
    a,
    jitEvent(b1, "jit.granted", ALICE, "g-3", { ruleId: "customers-admin", server: "customers", minutes: 10 }),
  );
  // A call under a second policy version whose commit is not in this repository.
  await write(c, call(b2, ALICE, "files", "read_file", "allowed", { correlationId: "c-6" }), "c6");
  await a.checkpoint();
  await c.checkpoint();
  await tick();
  to = new Date().toISOString();
  await tick();
  // After the period.
  await write(a, call(b1, ALICE, "files", "read_file", "allowed", { correlationId: "late" }), undefined, false);
  await a.close();
  await c.close();
}, 120_000);

afterAll(async () => {
  await az?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function manifestOf(dir: string) {
  return JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
}

describe("gatehouse evidence on a seeded trail", () => {
  test("tool-calls: the population is complete (counts equal each chain's seq range) and the package verifies", () => {
    const out = path.join(tmp, "tool-calls");
    const r = cli(["evidence", "tool-calls", ...period(), "--out", out, ...policyArgs()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const m = manifestOf(out);
    const expected = [...inWindow.entries()]
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([chainId, recs]) => ({
        chainId,
        firstSeq: recs[0].seq,
        lastSeq: recs[recs.length - 1].seq,
        recordCount: recs.length,
        hashBefore: recs[0].prevHash,
        hashAtEnd: recs[recs.length - 1].hash,
        contiguous: true,
      }));
    expect(m.chains).toEqual(expected);
    for (const c of m.chains) expect(c.recordCount).toBe(c.lastSeq - c.firstSeq + 1);
    expect(m.recordCount).toBe([...inWindow.values()].flat().length);
    expect(m).toMatchObject({
      report: { name: "tool-calls", version: "1.1.0" },
      rowCount: 6,
      source: { type: "azure-blob", container: "audit", chains: ["gw-a", "gw-b"] },
      filters: { from, to },
    });
    expect(m.chainVerification.ok).toBe(true);
    const rows = parseCsv(fs.readFileSync(path.join(out, "tool-calls.csv"), "utf8"));
    expect(
      rows
        .slice(1)
        .map((x) => x[0])
        .sort(),
    ).toEqual([named.c1.id, named.c2.id, named.c3.id, named.c4.id, named.c5.id, named.c6.id].sort());
    expect(cli(["evidence", "verify", out]).code).toBe(0);
    expect(cli(["evidence", "verify", path.join(out, "tool-calls-evidence.zip")]).code).toBe(0);
    fs.appendFileSync(path.join(out, "tool-calls.jsonl"), "{}\n");
    const bad = cli(["evidence", "verify", out, "--json"]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).problems).toEqual([expect.stringMatching(/^tool-calls\.jsonl: sha256/)]);
  });

  test("approvals: every injected exception kind is reported", () => {
    const r = cli([
      "evidence",
      "approvals",
      ...period(),
      "--out",
      path.join(tmp, "approvals"),
      "--json",
      ...policyArgs(),
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.exceptions.map((e: { kind: string; subject: string }) => `${e.kind}:${e.subject}`).sort()).toEqual([
      "approval_after_execution:ap-3",
      "approval_used_twice:ap-1",
      "executed_without_approval:delete-customer",
      "self_approval:ap-2",
    ]);
    expect(out.manifest.rowCount).toBe(3);
  });

  test("jit-grants and policy-changes: flags and the commit check against this repository", () => {
    const jit = JSON.parse(
      cli(["evidence", "jit-grants", ...period(), "--out", path.join(tmp, "jit"), "--json", ...policyArgs()]).stdout,
    );
    expect(jit.exceptions.map((e: { kind: string; subject: string }) => `${e.kind}:${e.subject}`).sort()).toEqual([
      "jit_longer_than_rule:g-2",
      "jit_without_reason:g-3",
    ]);
    const pc = JSON.parse(
      cli(["evidence", "policy-changes", ...period(), "--out", path.join(tmp, "pc"), "--json", ...policyArgs()]).stdout,
    );
    expect(pc.exceptions.map((e: { kind: string; subject: string }) => `${e.kind}:${e.subject}`)).toEqual([
      `policy_commit_not_found:${b2.version}`,
    ]);
    const rows = parseCsv(fs.readFileSync(path.join(tmp, "pc", "policy-changes.csv"), "utf8"));
    expect(rows.slice(1).map((x) => [x[0], x[2]])).toEqual([
      [b1.version, "found"],
      [b2.version, "missing"],
    ]);
  });

  test("sample: each event with its approval and a chain proof to a signed checkpoint, verifiable offline", async () => {
    const out = path.join(tmp, "sample");
    const r = cli([
      "evidence",
      "sample",
      "--ids",
      `${named.c1.id},${named.c4.id}`,
      ...period(),
      "--out",
      out,
      ...policyArgs(),
    ]);
    expect(r.code).toBe(0);
    const docs = fs
      .readFileSync(path.join(out, "sample.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(docs.map((d) => [d.eventId, d.proof.status, d.approval?.requested?.decision.approvalId ?? null])).toEqual([
      [named.c1.id, "covered", "ap-1"],
      [named.c4.id, "covered", null],
    ]);
    expect(docs[0].policy.rules.approval.id).toBe("delete-customer");
    expect(
      cli([
        "evidence",
        "verify",
        path.join(out, "sample-evidence.zip"),
        "--public-key",
        path.join(tmp, "public.jwk.json"),
      ]).code,
    ).toBe(0);
    const other = await LocalSigner.create();
    // The same proofs under someone else's key do not verify: the checkpoint signature is checked.
    fs.writeFileSync(
      path.join(tmp, "other.jwk.json"),
      JSON.stringify({ ...(await other.publicJwk()), kid: (await signer.publicJwk()).kid }),
    );
    const wrongKey = cli([
      "evidence",
      "verify",
      path.join(out, "sample-evidence.zip"),
      "--public-key",
      path.join(tmp, "other.jwk.json"),
      "--json",
    ]);
    expect(wrongKey.code).toBe(1);
    expect(JSON.parse(wrongKey.stdout).problems[0]).toMatch(/bad_checkpoint_signature/);
    const jwk = await signer.publicJwk();
    expect(verifySampleProof(docs[0], [jwk])).toMatchObject({ ok: true, signed: true });
    const forged = structuredClone(docs[0]);
    forged.proof.records[1].decision.reason = "forged";
    expect(verifySampleProof(forged, [jwk]).ok).toBe(false);
  });

  test("access review: per-server CSV, decisions recorded as audit records, the next snapshot shows them", () => {
    const out = path.join(tmp, "review");
    expect(cli(["evidence", "access-review", ...period(), "--out", out, ...policyArgs()]).code).toBe(0);
    const table = parseCsv(fs.readFileSync(path.join(out, "access-review-customers.csv"), "utf8"));
    const dec = table[0].indexOf("decision");
    table[1][dec] = "keep";
    table[1][dec + 1] = "on-call support";
    table[2][dec] = "remove";
    table[2][dec + 1] = "no longer needed";
    const filled = path.join(tmp, "filled.csv");
    fs.writeFileSync(filled, table.map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")).join("\r\n"));
    const rec = cli([
      "evidence",
      "access-review",
      "--record",
      filled,
      "--reviewer",
      "owner@gatehouse.local",
      "--chain",
      "review-1",
      "--json",
      "--policy",
      path.join(tmp, "b1.json"),
    ]);
    expect(rec.stderr).toBe("");
    expect(JSON.parse(rec.stdout)).toMatchObject({ recorded: 2, skipped: 1, chainId: "review-1" });
    const snap = JSON.parse(
      cli([
        "evidence",
        "entitlements",
        "--from",
        from,
        "--to",
        new Date(Date.now() + 60_000).toISOString(),
        "--out",
        path.join(tmp, "ent"),
        "--json",
        ...policyArgs(),
      ]).stdout,
    );
    expect(snap.exceptions.map((e: { kind: string; subject: string }) => `${e.kind}:${e.subject}`)).toEqual([
      `removal_not_applied:${table[2][0]}`,
    ]);
    const doc = JSON.parse(fs.readFileSync(path.join(tmp, "ent", "entitlements.compliance.json"), "utf8"));
    expect(doc.entitlements.find((e: { id: string }) => e.id === table[1][0]).review).toMatchObject({
      decision: "keep",
      reviewer: "owner@gatehouse.local",
    });
    // A bad decisions file records nothing.
    fs.writeFileSync(filled, "entitlementId,decision,reason\r\nx,maybe,\r\n");
    expect(
      cli(["evidence", "access-review", "--record", filled, "--reviewer", "o", "--policy", path.join(tmp, "b1.json")])
        .code,
    ).toBe(2);
  });

  test("completeness holds for every report of the period: same population, same seq ranges", () => {
    const total = [...inWindow.values()].flat().length;
    for (const dir of ["tool-calls", "approvals", "jit", "pc", "sample", "review"]) {
      const m = manifestOf(path.join(tmp, dir));
      expect([dir, m.recordCount]).toEqual([dir, total]);
      // The CLI's own chain (its evidence.exported records, written after the period) has none in it.
      for (const c of m.chains)
        expect([dir, c.chainId, c.recordCount]).toEqual([dir, c.chainId, inWindow.get(c.chainId)?.length ?? 0]);
    }
  });

  test("usage errors exit 2; an unreachable store exits 3", () => {
    expect(cli(["evidence", "tool-calls", "--from", "yesterday", "--to", to, "--out", tmp, ...policyArgs()]).code).toBe(
      2,
    );
    expect(cli(["evidence", "sample", ...period(), "--out", tmp, ...policyArgs()]).code).toBe(2);
    const dead =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;";
    expect(
      cli([
        "evidence",
        "tool-calls",
        ...period(),
        "--out",
        path.join(tmp, "dead"),
        "--connection-string",
        dead,
        ...policyArgs(),
      ]).code,
    ).toBe(3);
  });
});
