/**
 * `npm run bench -- audit`: the audit trail's group commit on Azurite — records/s and write
 * latency (what a call waits for before it is forwarded) at several concurrency levels.
 * Flags: --duration <s per level> (default 10), --out <file>.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite } from "../../dev/azurite-launcher";
import { openBlobAuditSink, type BlobAuditSink } from "../../runtime/core/audit/blob-audit-sink";
import { parseBenchArgs } from "../support/bench-args";
import { log, ms, saveResults } from "../support/bench-report";
import { logToFile } from "../support/quiet-logger";
import { sampleEvent } from "./audit-event";

export interface AuditLevelResult {
  readonly concurrency: number;
  readonly recordsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `concurrency` writers, each awaiting its record's durability before writing the next. */
export async function measureLevel(
  sink: BlobAuditSink,
  concurrency: number,
  durationSec: number,
): Promise<AuditLevelResult> {
  const latencies: number[] = [];
  let failures = 0;
  let n = 0;
  const end = performance.now() + durationSec * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await sink.write(sampleEvent(n++));
          latencies.push(performance.now() - t);
        } catch {
          failures++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    recordsPerSec: Math.round(latencies.length / elapsed),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures,
  };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const logFile = logToFile("audit");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-audit-"));
  const azurite = await startAzurite({ location: dir });
  const blobService = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const sink = await openBlobAuditSink({ blobService, chainId: "bench-audit", anchorIntervalMs: 3_600_000 });
  const results: AuditLevelResult[] = [];
  try {
    await measureLevel(sink, 8, 2); // warm-up: container, JIT, connection pool
    log(`audit group commit on Azurite (${args.duration} s per level; the sink's default commit window)`);
    log("concurrency  records/s  write p50  write p99  failures");
    for (const c of [1, 8, 32, 128, 512]) {
      const r = await measureLevel(sink, c, args.duration);
      results.push(r);
      log(
        `${String(c).padStart(11)}  ${String(r.recordsPerSec).padStart(9)}  ${ms(r.p50Ms).padStart(9)}  ${ms(r.p99Ms).padStart(9)}  ${r.failures}`,
      );
    }
    const one = results[0];
    const best = results.reduce((a, b) => (b.recordsPerSec > a.recordsPerSec ? b : a));
    log(
      `group commit gain: ${(best.recordsPerSec / one.recordsPerSec).toFixed(1)}x records/s at concurrency ${best.concurrency} vs one writer`,
    );
    log(
      `durable-before-forward: a call waits for two writes in sequence (its request record before forwarding, its response record before the response completes): ~${ms(2 * one.p50Ms)} at p50 when alone, ~${ms(2 * results[1].p50Ms)} at concurrency 8`,
    );
    log(
      `capacity: 2 records per call, so the trail caps one replica at ~${Math.round(best.recordsPerSec / 2)} calls/s on this machine`,
    );
  } finally {
    await sink.close();
    await azurite.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`runtime log lines (one per record, as in production): ${logFile}`);
  log(`results: ${saveResults("audit", { durationSec: args.duration, levels: results }, args.out)}`);
}

void main().catch((e: unknown) => {
  process.stderr.write(`bench audit failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
