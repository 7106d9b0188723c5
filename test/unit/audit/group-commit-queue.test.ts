import { GroupCommitQueue } from "../../../runtime/core/audit/group-commit-queue";

function recorder(opts: { fail?: (batch: number[]) => boolean; maxBatchBytes?: number; maxDelayMs?: number } = {}) {
  const batches: number[][] = [];
  let inFlight = 0;
  let overlapped = false;
  const queue = new GroupCommitQueue<number, string>({
    maxDelayMs: opts.maxDelayMs ?? 5,
    maxBatchBytes: opts.maxBatchBytes ?? 1000,
    commit: async (items) => {
      if (inFlight++ > 0) overlapped = true;
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      batches.push(items);
      if (opts.fail?.(items)) throw new Error("append failed");
      return items.map((i) => `r${i}`);
    },
  });
  return { queue, batches, overlapped: () => overlapped };
}

describe("GroupCommitQueue", () => {
  test("writes issued together share one commit, and each gets its own result", async () => {
    const { queue, batches } = recorder();
    const results = await Promise.all([1, 2, 3, 4].map((i) => queue.push(i, 10)));
    expect(results).toEqual(["r1", "r2", "r3", "r4"]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  test("writes arriving during a commit form the next batch; commits never overlap; order is kept", async () => {
    const { queue, batches, overlapped } = recorder();
    const first = queue.push(1, 10);
    await new Promise((r) => setTimeout(r, 2));
    const rest = [2, 3, 4].map((i) => queue.push(i, 10));
    await Promise.all([first, ...rest]);
    expect(batches.flat()).toEqual([1, 2, 3, 4]);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(overlapped()).toBe(false);
  });

  test("a batch never exceeds maxBatchBytes", async () => {
    const { queue, batches } = recorder({ maxBatchBytes: 25 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => queue.push(i, 10)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  test("a failed commit rejects every caller of that batch only", async () => {
    const { queue } = recorder({ fail: (b) => b.includes(1) });
    const settled = await Promise.allSettled([queue.push(1, 10), queue.push(2, 10)]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
    await expect(queue.push(3, 10)).resolves.toBe("r3");
  });

  test("drain commits what is pending and resolves when idle", async () => {
    const { queue, batches } = recorder({ maxDelayMs: 60_000 });
    await queue.push(0, 1); // the first write after a quiet spell goes at once
    const p = queue.push(1, 1); // within the window: would wait up to a minute
    await queue.drain();
    await expect(p).resolves.toBe("r1");
    expect(batches).toEqual([[0], [1]]);
  });
});
