/**
 * Appends sealed records to one chain's series of append blobs, and nothing else.
 *
 * Every append carries an `appendPosition` condition: a second writer on the same chain (or a
 * retried append whose first attempt did land) gets 412 instead of interleaving. After any
 * failure the outcome is unknown, so the writer re-reads the stored tail before it continues:
 * the stored head is either still ours (nothing landed), or the failed batch's last record (it
 * landed), or something else — another writer — and the chain is then refused for good (fail
 * closed: forking the chain would be worse than refusing calls).
 */
import { RestError, type AppendBlobClient, type ContainerClient } from "@azure/storage-blob";
import { GatehouseError } from "../errors";
import { logger } from "../telemetry/logger";
import { GENESIS_HASH } from "./record-schema";
import { chainBlobName, parseChainBlobName } from "./blob-layout";
import { parseTailRecord, readLastLine } from "./chain-tail";
import type { SealedRecord } from "./chain-hash";

/** Azure's limits are 50,000 blocks and 4 MiB per block per append blob; roll over well before. */
export const MAX_BLOCK_BYTES = 4 * 1024 * 1024;
export interface RolloverLimits {
  /** @default 45000 (Azure allows 50,000 blocks per append blob) */
  readonly maxBlocks: number;
  /** @default 190 GiB (Azure allows ~195 GiB per append blob) */
  readonly maxBytes: number;
}
export const DEFAULT_ROLLOVER: RolloverLimits = { maxBlocks: 45_000, maxBytes: 190 * 1024 ** 3 };

export interface ChainHead {
  /** Sequence number of the last durable record; -1 for an empty chain. */
  readonly seq: number;
  readonly hash: string;
}

interface Position {
  index: number;
  length: number;
  blocks: number;
  head: ChainHead;
}

export class ChainWriter {
  private broken: GatehouseError | null = null;
  private needsResync = false;

  private constructor(
    private readonly container: ContainerClient,
    readonly chainId: string,
    private readonly limits: RolloverLimits,
    private readonly timeoutMs: number,
    private pos: Position,
  ) {}

  static async open(
    container: ContainerClient,
    chainId: string,
    opts: { limits: RolloverLimits; timeoutMs: number },
  ): Promise<ChainWriter> {
    const signal = AbortSignal.timeout(opts.timeoutMs * 3);
    let pos = await readPosition(container, chainId, signal);
    if (!pos) {
      await container.getAppendBlobClient(chainBlobName(chainId, 1)).createIfNotExists({ abortSignal: signal });
      pos = (await readPosition(container, chainId, signal))!;
    }
    return new ChainWriter(container, chainId, opts.limits, opts.timeoutMs, pos);
  }

  head(): ChainHead {
    return this.pos.head;
  }

  /** True once another writer was detected: nothing more is appended, anchored or signed. */
  isBroken(): boolean {
    return this.broken !== null;
  }

  /** The blob the next append goes to (for tests and diagnostics). */
  currentBlob(): string {
    return chainBlobName(this.chainId, this.pos.index);
  }

  /** Appends records already linked to head() as ONE block. Resolves only when durable. */
  async append(batch: readonly SealedRecord[]): Promise<void> {
    if (this.broken) throw this.broken;
    if (this.needsResync) {
      try {
        await this.resync(null);
      } catch (e) {
        throw e instanceof GatehouseError ? e : unavailable(this.chainId, e);
      }
    }
    const first = batch[0].record;
    if (first.seq !== this.pos.head.seq + 1 || first.prevHash !== this.pos.head.hash)
      throw new TypeError("batch is not linked to the chain head");
    const body = Buffer.from(batch.map((r) => r.line + "\n").join(""), "utf8");
    if (body.length > MAX_BLOCK_BYTES)
      throw new TypeError(`batch of ${body.length} bytes exceeds the 4 MiB block limit`);
    const last = batch[batch.length - 1].record;
    try {
      if (
        this.pos.length > 0 &&
        (this.pos.blocks + 1 > this.limits.maxBlocks || this.pos.length + body.length > this.limits.maxBytes)
      ) {
        await this.rollOver();
      }
      const res = await this.blob().appendBlock(body, body.length, {
        conditions: { appendPosition: this.pos.length },
        abortSignal: AbortSignal.timeout(this.timeoutMs),
      });
      this.pos = {
        index: this.pos.index,
        length: this.pos.length + body.length,
        blocks: res.blobCommittedBlockCount ?? this.pos.blocks + 1,
        head: { seq: last.seq, hash: last.hash },
      };
    } catch (e) {
      if (e instanceof GatehouseError) throw e;
      // Unknown outcome: find out what the store holds before anyone appends again.
      let landed = false;
      try {
        landed = await this.resync({ seq: last.seq, hash: last.hash });
      } catch (re) {
        if (re instanceof GatehouseError) throw re;
        // Still unreachable: needsResync stays set, the next append re-reads first.
      }
      if (landed) return;
      throw unavailable(this.chainId, e);
    }
  }

  /**
   * Re-reads the stored tail. Returns true when the failed batch turned out to be durable.
   * Throws (and marks the chain broken) when the stored head belongs to nobody we know.
   */
  private async resync(batchHead: ChainHead | null): Promise<boolean> {
    this.needsResync = true;
    const stored = await readPosition(this.container, this.chainId, AbortSignal.timeout(this.timeoutMs));
    const storedHead = stored?.head ?? { seq: -1, hash: GENESIS_HASH };
    const same = (a: ChainHead, b: ChainHead | null) => b !== null && a.seq === b.seq && a.hash === b.hash;
    if (!same(storedHead, this.pos.head) && !same(storedHead, batchHead)) {
      this.broken = new GatehouseError(
        "ERR_AUDIT_UNAVAILABLE",
        "another writer appended to this audit chain; refusing to fork it",
        {
          chainId: this.chainId,
          reason: "concurrent_writer",
        },
      );
      logger.error("gatehouse.audit.chain_conflict", {
        chainId: this.chainId,
        expectedSeq: this.pos.head.seq,
        storedSeq: storedHead.seq,
      });
      throw this.broken;
    }
    if (stored) this.pos = stored;
    this.needsResync = false;
    return same(storedHead, batchHead);
  }

  private async rollOver(): Promise<void> {
    const old = this.blob();
    // Sealing makes the full blob read-only, so nothing can be appended behind the new one.
    await old
      .seal({ conditions: { appendPosition: this.pos.length }, abortSignal: AbortSignal.timeout(this.timeoutMs) })
      .catch((e: unknown) => {
        logger.warn("gatehouse.audit.seal_failed", { chainId: this.chainId, blob: old.name, error: errorText(e) });
      });
    const next = this.container.getAppendBlobClient(chainBlobName(this.chainId, this.pos.index + 1));
    // If-None-Match: * — if the next blob exists, someone else rolled this chain over.
    await next.create({ conditions: { ifNoneMatch: "*" }, abortSignal: AbortSignal.timeout(this.timeoutMs) });
    this.pos = { index: this.pos.index + 1, length: 0, blocks: 0, head: this.pos.head };
  }

  private blob(): AppendBlobClient {
    return this.container.getAppendBlobClient(chainBlobName(this.chainId, this.pos.index));
  }
}

/** The stored state of a chain: its last blob, that blob's size, and the last record. */
async function readPosition(
  container: ContainerClient,
  chainId: string,
  abortSignal: AbortSignal,
): Promise<Position | null> {
  const indexes: number[] = [];
  for await (const item of container.listBlobsFlat({ prefix: `chains/${chainId}/`, abortSignal })) {
    const parsed = parseChainBlobName(item.name);
    if (parsed && parsed.chainId === chainId) indexes.push(parsed.index);
  }
  if (indexes.length === 0) return null;
  indexes.sort((a, b) => a - b);
  const index = indexes[indexes.length - 1];
  let head: ChainHead = { seq: -1, hash: GENESIS_HASH };
  let top: { length: number; blocks: number } | null = null;
  // The newest blob may be empty right after a roll-over: the head is then in an older one.
  for (let i = indexes.length - 1; i >= 0; i--) {
    const blob = container.getAppendBlobClient(chainBlobName(chainId, indexes[i]));
    const props = await blob.getProperties({ abortSignal });
    const length = props.contentLength ?? 0;
    if (i === indexes.length - 1) top = { length, blocks: props.blobCommittedBlockCount ?? 0 };
    const line = await readLastLine(blob, length, abortSignal);
    if (line === null) continue;
    const record = parseTailRecord(line, blob.name);
    if (record.chainId !== chainId) throw new Error(`${blob.name} ends with a record of chain ${record.chainId}`);
    head = { seq: record.seq, hash: record.hash };
    break;
  }
  return { index, length: top!.length, blocks: top!.blocks, head };
}

export function unavailable(chainId: string, cause: unknown): GatehouseError {
  const status = cause instanceof RestError ? cause.statusCode : undefined;
  return new GatehouseError(
    "ERR_AUDIT_UNAVAILABLE",
    "the audit store could not be written; the call is refused",
    { chainId, status: status ?? null },
    { cause },
  );
}

export function errorText(e: unknown): string {
  if (e instanceof RestError) return `${e.statusCode ?? ""} ${e.code ?? ""} ${e.message.split("\n")[0]}`.trim();
  return e instanceof Error ? e.message : String(e);
}
