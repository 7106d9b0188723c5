/**
 * `gatehouse evidence approval-insights` end to end (issue 20 item 4): known approval decisions
 * written through the real blob audit sink on Azurite (two chains, one approval requested on one
 * and decided on the other), the report run through `node bin/gatehouse.js`, and the CSV's p50/p90
 * and counts checked. The sink stamps each record with the clock, so the clock alone is faked
 * (Date, only while write() stamps the record; timers and I/O stay real) to place each decision a known number of minutes after its
 * request. Build first: npx tsc -p tsconfig.build.json.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config } from "@jest/types";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { parseCsv } from "../../../runtime/core/evidence/csv";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { repoRoot } from "../../../runtime/core/repo-root";
import { testBundle } from "../../unit/evidence/trail-fixture";
import { EXPECTED_INSIGHT_ROWS, insightSteps } from "../../unit/evidence/insights-fixture";

const ROOT = repoRoot();
const b1 = testBundle();
jest.setTimeout(120_000);

/** Everything but Date stays real while the clock is set. */
const REAL_APIS: Config.FakeableAPI[] = [
  "hrtime",
  "nextTick",
  "performance",
  "queueMicrotask",
  "setImmediate",
  "clearImmediate",
  "setInterval",
  "clearInterval",
  "setTimeout",
  "clearTimeout",
];

let az: AzuriteInstance;
let tmp: string;
let from: string;
let to: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "gatehouse.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      GATEHOUSE_HOME: path.join(tmp, "home"),
      GATEHOUSE_STORAGE_CONNECTION_STRING: az.connectionString,
      GATEHOUSE_SIGNING_KEY_FILE: path.join(tmp, "signing-key.json"),
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-insights-"));
  az = await startAzurite({ location: path.join(tmp, "azurite") });
  fs.writeFileSync(path.join(tmp, "b1.json"), JSON.stringify(b1));
  const signer = await LocalSigner.create(path.join(tmp, "signing-key.json"));
  fs.writeFileSync(path.join(tmp, "public.jwk.json"), JSON.stringify(await signer.publicJwk()));
  const blobService = BlobServiceClient.fromConnectionString(az.connectionString);
  const sinks = {
    "gw-a": await openBlobAuditSink({ blobService, chainId: "gw-a", signer, maxBatchDelayMs: 1 }),
    "gw-b": await openBlobAuditSink({ blobService, chainId: "gw-b", signer, maxBatchDelayMs: 1 }),
  };
  // Two hours ago, whole minute: every record lies in the past, at a known offset.
  const base = Math.floor((Date.now() - 2 * 3600_000) / 60_000) * 60_000;
  from = new Date(base - 60_000).toISOString();
  for (const step of insightSteps(b1)) {
    // The sink stamps the record synchronously in write(); the clock is real again before any I/O.
    jest.useFakeTimers({ doNotFake: REAL_APIS });
    jest.setSystemTime(base + step.minute * 60_000);
    let written: Promise<unknown>;
    try {
      written = sinks[step.chain].write(step.event);
    } finally {
      jest.useRealTimers();
    }
    await written;
  }
  await sinks["gw-a"].close();
  await sinks["gw-b"].close();
  to = new Date(Date.now() + 1000).toISOString();
}, 120_000);

afterAll(async () => {
  await az?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("evidence approval-insights: p50/p90 time to decision, expiries, rejections by rule and per approver", () => {
  const out = path.join(tmp, "insights");
  const r = cli([
    "evidence",
    "approval-insights",
    "--from",
    from,
    "--to",
    to,
    "--out",
    out,
    "--policy",
    path.join(tmp, "b1.json"),
    "--public-key",
    path.join(tmp, "public.jwk.json"),
  ]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const [header, ...rows] = parseCsv(fs.readFileSync(path.join(out, "approval-insights.csv"), "utf8"));
  expect(header).toEqual([
    "dimension",
    "subject",
    "requests",
    "approved",
    "rejected",
    "expired",
    "pending",
    "edits",
    "decisions",
    "decisionP50Seconds",
    "decisionP90Seconds",
  ]);
  expect(rows).toEqual(EXPECTED_INSIGHT_ROWS.map((row) => row.map((c) => (c === null ? "" : String(c)))));
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  expect(manifest.report).toEqual({ name: "approval-insights", version: "1.0.0" });
  expect(manifest.source.chains).toEqual(expect.arrayContaining(["gw-a", "gw-b"]));
  // Every column is explained in the package's README.
  const readme = fs.readFileSync(path.join(out, "README.md"), "utf8");
  expect(readme).toContain("`decisionP90Seconds`");
  expect(readme).not.toContain("(undocumented)");
  // The package verifies offline.
  const v = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "bin", "gatehouse.js"),
      "evidence",
      "verify",
      out,
      "--public-key",
      path.join(tmp, "public.jwk.json"),
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  expect(v.status).toBe(0);
});
