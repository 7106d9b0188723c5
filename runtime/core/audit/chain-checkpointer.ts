/**
 * Signs and stores a chain's checkpoints, one at a time, continuing the checkpoint chain of a
 * resumed audit chain. A checkpoint is skipped when the head has not moved since the last one.
 */
import type { ContainerClient } from "@azure/storage-blob";
import type { Signer } from "../signing/signer";
import { checkpointBlobName } from "./blob-layout";
import { signCheckpoint, type Checkpoint } from "./checkpoint";
import { readLastCheckpoint, writeCheckpoint } from "./checkpoint-store";
import { logCheckpoint } from "./audit-log";
import type { ChainHead } from "./chain-writer";

export class ChainCheckpointer {
  private last: Checkpoint | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly container: ContainerClient,
    private readonly chainId: string,
    private readonly signer: Signer,
  ) {}

  static async open(container: ContainerClient, chainId: string, signer: Signer): Promise<ChainCheckpointer> {
    const cp = new ChainCheckpointer(container, chainId, signer);
    cp.last = await readLastCheckpoint(container, chainId);
    return cp;
  }

  lastCheckpoint(): Checkpoint | null {
    return this.last;
  }

  /** Signs the given durable head and writes it to the container and the log. */
  checkpoint(head: ChainHead, reason: "interval" | "close"): Promise<Checkpoint | null> {
    const run = this.queue.then(async () => {
      if (head.seq < 0 || (this.last && this.last.seq >= head.seq)) return null;
      const cp = await signCheckpoint(
        this.signer,
        { chainId: this.chainId, seq: head.seq, hash: head.hash },
        this.last,
        reason,
      );
      await writeCheckpoint(this.container, cp, AbortSignal.timeout(30_000));
      this.last = cp;
      logCheckpoint(cp, checkpointBlobName(this.chainId, cp.seq));
      return cp;
    });
    // The queue only orders checkpoints: the caller receives `run`, failure included, and decides.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
