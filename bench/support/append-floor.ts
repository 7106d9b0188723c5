/**
 * The latency floor the design imposes on a call: one durable audit write through the production
 * sink (group commit, append blob) on the same Azurite the gateway uses, in the same run. A call
 * waits for two in sequence (request record before forwarding, response record before the
 * client sees the answer), so the gateway's added latency is compared with 2 x this figure.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { openBlobAuditSink } from "../../runtime/core/audit/blob-audit-sink";
import { sampleEvent } from "../audit/audit-event";

export interface AppendFloor {
  readonly p50: number;
  readonly p99: number;
  readonly writes: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `writes` sequential writes of a representative request record, one writer, on its own chain. */
export async function measureAppendFloor(connectionString: string, writes = 300): Promise<AppendFloor> {
  const sink = await openBlobAuditSink({
    blobService: BlobServiceClient.fromConnectionString(connectionString),
    chainId: `bench-floor-${process.pid}`,
    anchorIntervalMs: 3_600_000,
  });
  const d: number[] = [];
  try {
    for (let i = 0; i < writes + 30; i++) {
      const t = performance.now();
      await sink.write(sampleEvent(i));
      if (i >= 30) d.push(performance.now() - t); // the first ones warm up the pool and the JIT
    }
  } finally {
    await sink.close();
  }
  d.sort((a, b) => a - b);
  return { p50: percentile(d, 50), p99: percentile(d, 99), writes };
}
