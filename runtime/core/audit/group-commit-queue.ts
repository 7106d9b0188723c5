/**
 * Group commit: items written concurrently within `maxDelayMs` (or while the previous commit is
 * in flight) are committed together, up to `maxBatchBytes`. Each caller's promise settles with
 * the outcome of the commit its item was part of, so durability costs one round trip per batch
 * rather than per record. One commit at a time: the chain is strictly sequential.
 *
 * The window only opens when writes are arriving close together: an item arriving after a quiet
 * spell (no arrival for `maxDelayMs`) is committed at once (with whatever arrived in the same
 * tick), so a lone call does not pay the window for nothing.
 */
interface Pending<T, R> {
  readonly item: T;
  readonly bytes: number;
  /** When the batch starting with this item must be committed. */
  readonly dueAt: number;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<T, R> {
  readonly maxDelayMs: number;
  readonly maxBatchBytes: number;
  /** Commits a batch; resolves with one result per item, in order, or rejects for all of them. */
  readonly commit: (items: T[]) => Promise<R[]>;
}

export class GroupCommitQueue<T, R> {
  private pending: Pending<T, R>[] = [];
  private pendingBytes = 0;
  private inFlight = false;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastArrival = 0;
  private idleWaiters: (() => void)[] = [];
  private draining = false;

  constructor(private readonly opts: GroupCommitOptions<T, R>) {}

  push(item: T, bytes: number): Promise<R> {
    const now = Date.now();
    const quiet = now - this.lastArrival > this.opts.maxDelayMs;
    this.lastArrival = now;
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, bytes, dueAt: quiet ? now : now + this.opts.maxDelayMs, resolve, reject });
      this.pendingBytes += bytes;
      this.kick();
    });
  }

  /** Commits everything pending now and resolves when nothing is pending or in flight. */
  drain(): Promise<void> {
    this.draining = true;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.kick();
    return idle;
  }

  private kick(): void {
    if (this.inFlight || this.immediate) return;
    if (this.pending.length === 0) {
      this.clearTimer();
      for (const w of this.idleWaiters.splice(0)) w();
      return;
    }
    const wait = this.pending[0].dueAt - Date.now();
    if (this.draining || this.pendingBytes >= this.opts.maxBatchBytes || wait <= 0) {
      this.clearTimer();
      // setImmediate, not now: writes issued in the same tick join this batch.
      this.immediate = setImmediate(() => {
        this.immediate = null;
        void this.flush();
      });
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick();
      }, wait);
    }
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.pending.length === 0) return this.kick();
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && (n === 0 || bytes + this.pending[n].bytes <= this.opts.maxBatchBytes))
      bytes += this.pending[n++].bytes;
    const batch = this.pending.splice(0, n);
    this.pendingBytes -= bytes;
    this.inFlight = true;
    try {
      const results = await this.opts.commit(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.inFlight = false;
      this.kick();
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
