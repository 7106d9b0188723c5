/**
 * The production AuditSink: a hash chain in append blobs, with group commit, periodic anchors to
 * the log (Log Analytics) and signed checkpoints in the WORM container.
 *
 * `write` resolves only once the record's batch is durable in the store; otherwise every caller
 * of that batch gets ERR_AUDIT_UNAVAILABLE, the failure metric rises, and the chain head stays
 * where it was (the caller must refuse the call: fail closed).
 */
import type { BlobServiceClient } from "@azure/storage-blob";
import { GatehouseError } from "../errors";
import type { Signer } from "../signing/signer";
import { gatehouseMetrics } from "../telemetry/metrics";
import { logger } from "../telemetry/logger";
import type { AuditSink } from "./audit-sink";
import { AuditEventSchema, type AuditEvent, type AuditEventInput, type AuditRecord } from "./record-schema";
import { AUDIT_CONTAINER, assertChainId } from "./blob-layout";
import { sealEvent } from "./chain-hash";
import {
  ChainWriter,
  DEFAULT_ROLLOVER,
  MAX_BLOCK_BYTES,
  errorText,
  unavailable,
  type ChainHead,
  type RolloverLimits,
} from "./chain-writer";
import { GroupCommitQueue } from "./group-commit-queue";
import { ChainCheckpointer } from "./chain-checkpointer";
import { publishPublicKey } from "./checkpoint-store";
import { logAnchor, logAuditRecord } from "./audit-log";
import type { Checkpoint } from "./checkpoint";

export interface BlobAuditSinkOptions {
  readonly blobService: BlobServiceClient;
  /** @default "audit" */
  readonly container?: string;
  /** One chain per gateway replica, e.g. `<hostname>-<random>`; letters, digits, '.', '_', '-'. */
  readonly chainId: string;
  /**
   * Group-commit window: how long the first record of a batch waits for others while records are
   * arriving close together (a record after a quiet spell of this length is committed at once).
   * @default 2 — measured with `npm run bench -- audit` (docs/benchmarks.md, issue 15): with 5 ms a
   * call's record waited ~7 ms at 1-32 writers, because records of one writer arrive an append
   * apart (~3 ms), never "quiet"; 2 ms halved that wait and kept the records/s at 128-512 writers,
   * where 0 (commit whenever idle) made more, smaller appends and lost throughput. In Azure: one
   * append is in flight per chain, so a chain makes at most 1 / (append latency) appends per
   * second — a few hundred at most, under the single-blob target of 500 requests/s; a shorter window
   * means more, smaller blocks at low load, so a blob reaches the 50,000-block limit (rolled over at
   * 45,000, chain-writer.ts) sooner, not any record larger (Blob storage scale targets:
   * https://learn.microsoft.com/azure/storage/blobs/scalability-targets)
   */
  readonly maxBatchDelayMs?: number;
  /** Signs checkpoints; without it no checkpoints are written (anchors still are). */
  readonly signer?: Signer;
  /**
   * @default 300000 (every 5 minutes; skipped while the head has not moved); checkpoints are also
   * written as soon as a `gateway.started` record is durable, and at close
   */
  readonly checkpointIntervalMs?: number;
  /** Fills `policyVersion` of events that leave it null or undefined. */
  readonly policyVersion?: () => string | null;
  /** Bytes per append (one block). @default 4 MiB - 64 KiB, at most 4 MiB */
  readonly maxBatchBytes?: number;
  /** When to roll over to the next blob of the series. @default 45,000 blocks or 190 GiB */
  readonly rollover?: Partial<RolloverLimits>;
  /** Interval of chain-head anchors in the log. @default 60000 */
  readonly anchorIntervalMs?: number;
  /** Time limit of one storage request; past it the outcome is treated as unknown. @default 10000 */
  readonly requestTimeoutMs?: number;
}

export interface BlobAuditSink extends AuditSink {
  readonly chainId: string;
  /** The last durable record's seq (-1 for an empty chain) and hash. */
  head(): { seq: number; hash: string };
  /** Signs and stores a checkpoint of the current head now (null without a signer or when unchanged). */
  checkpoint(): Promise<Checkpoint | null>;
  /** The append blob the next batch goes to. */
  currentBlob(): string;
}

interface Queued {
  readonly event: AuditEvent;
  readonly time: string;
}

/** Short enough that a trail read after a demo or an incident has a recent signed head; cheap (one small blob when the head moved). */
const DEFAULT_CHECKPOINT_INTERVAL_MS = 300_000;

/** Room for the chain fields (id, time, chainId, seq, prevHash, hash) the sink adds to an event. */
const CHAIN_FIELDS_BYTES = 512;

export async function openBlobAuditSink(opts: BlobAuditSinkOptions): Promise<BlobAuditSink> {
  assertChainId(opts.chainId);
  const chainId = opts.chainId;
  const maxBatchBytes = Math.min(opts.maxBatchBytes ?? MAX_BLOCK_BYTES - 64 * 1024, MAX_BLOCK_BYTES);
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const container = opts.blobService.getContainerClient(opts.container ?? AUDIT_CONTAINER);
  let writer: ChainWriter;
  let checkpointer: ChainCheckpointer | null = null;
  try {
    await container.createIfNotExists({ abortSignal: AbortSignal.timeout(timeoutMs) });
    writer = await ChainWriter.open(container, chainId, {
      limits: { ...DEFAULT_ROLLOVER, ...opts.rollover },
      timeoutMs,
    });
    if (opts.signer) {
      checkpointer = await ChainCheckpointer.open(container, chainId, opts.signer);
      await publishPublicKey(container, await opts.signer.publicJwk());
    }
  } catch (e) {
    if (e instanceof GatehouseError || e instanceof TypeError) throw e;
    throw new GatehouseError(
      "ERR_AUDIT_UNAVAILABLE",
      `the audit store could not be opened: ${errorText(e)}`,
      { chainId },
      { cause: e },
    );
  }

  const queue = new GroupCommitQueue<Queued, AuditRecord>({
    maxDelayMs: opts.maxBatchDelayMs ?? 2,
    maxBatchBytes,
    commit: async (items) => {
      const started = performance.now();
      let { seq, hash } = writer.head();
      const sealed = items.map((it) => {
        const s = sealEvent(it.event, { chainId, seq: ++seq, prevHash: hash, time: it.time });
        hash = s.record.hash;
        return s;
      });
      try {
        await writer.append(sealed);
      } catch (e) {
        const err = e instanceof GatehouseError ? e : unavailable(chainId, e);
        gatehouseMetrics.auditWriteFailure(items.length, {
          chainId,
          reason: String(err.details.reason ?? "store_error"),
        });
        logger.error("gatehouse.audit.write_failed", { chainId, records: items.length, error: errorText(e) });
        throw err;
      }
      gatehouseMetrics.auditWrite(performance.now() - started, sealed.length, { chainId });
      for (const s of sealed) logAuditRecord(s.record);
      return sealed.map((s) => s.record);
    },
  });

  let closed = false;
  let closing: Promise<void> | null = null;
  const anchor = (reason: "interval" | "close") => {
    const h = writer.head();
    if (h.seq >= 0 && !writer.isBroken()) logAnchor({ chainId, seq: h.seq, hash: h.hash, reason });
  };
  // A chain another writer took over is not ours to vouch for any more.
  const checkpoint = async (reason: "interval" | "close" = "interval"): Promise<Checkpoint | null> =>
    checkpointer && !writer.isBroken() ? checkpointer.checkpoint(writer.head(), reason) : null;
  const timers = [setInterval(() => anchor("interval"), opts.anchorIntervalMs ?? 60_000)];
  if (checkpointer) {
    timers.push(
      setInterval(() => {
        checkpoint().catch((e: unknown) =>
          logger.error("gatehouse.checkpoint.failed", { chainId, error: errorText(e) }),
        );
      }, opts.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS),
    );
  }
  for (const t of timers) t.unref();

  const refuse = (reason: string, message: string, extra: Record<string, unknown> = {}) => {
    gatehouseMetrics.auditWriteFailure(1, { chainId, reason });
    return Promise.reject(new GatehouseError("ERR_AUDIT_UNAVAILABLE", message, { chainId, reason, ...extra }));
  };

  return {
    chainId,
    head: (): ChainHead => writer.head(),
    currentBlob: () => writer.currentBlob(),
    checkpoint: () => checkpoint("interval"),
    write(input: AuditEventInput): Promise<AuditRecord> {
      if (closed) return refuse("closed", "the audit sink is closed");
      const time = new Date().toISOString();
      let event: AuditEvent;
      try {
        const withVersion =
          input.policyVersion == null && opts.policyVersion ? { ...input, policyVersion: opts.policyVersion() } : input;
        event = AuditEventSchema.parse(withVersion);
      } catch (e) {
        return refuse("invalid_event", "the audit event is not valid", {
          issues: e instanceof Error ? e.message : String(e),
        });
      }
      const bytes = Buffer.byteLength(JSON.stringify(event), "utf8") + CHAIN_FIELDS_BYTES + chainId.length;
      if (bytes > maxBatchBytes)
        return refuse(
          "record_too_large",
          `the audit record (${bytes} bytes) exceeds the ${maxBatchBytes}-byte batch limit; record a digest instead`,
        );
      const durable = queue.push({ event, time }, bytes);
      if (event.kind !== "gateway.started" || !checkpointer) return durable;
      // A gateway that just started signs its head at once: a trail read minutes later (the
      // walkthrough's audit verify) has a checkpoint to verify against without waiting for the timer.
      return durable.then(async (record) => {
        await checkpoint("interval").catch((e: unknown) =>
          logger.error("gatehouse.checkpoint.failed", { chainId, error: errorText(e) }),
        );
        return record;
      });
    },
    async ready(): Promise<boolean> {
      if (closed || writer.isBroken()) return false;
      // A cheap read of the container: the store answers (a write would then reach it too).
      return container.exists({ abortSignal: AbortSignal.timeout(Math.min(timeoutMs, 5000)) });
    },
    close(): Promise<void> {
      closing ??= (async () => {
        closed = true;
        for (const t of timers) clearInterval(t);
        await queue.drain();
        anchor("close");
        await checkpoint("close").catch((e: unknown) =>
          logger.error("gatehouse.checkpoint.failed", { chainId, error: errorText(e) }),
        );
      })();
      return closing;
    },
  };
}
