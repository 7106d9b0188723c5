/**
 * Waits `ms`, or less if `signal` aborts first; resolves either way (the callers poll shared state
 * and look at the signal themselves). node:timers/promises rejects on abort, which every poll loop
 * would have to catch.
 */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
