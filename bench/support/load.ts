/**
 * One load run with autocannon (from npm), reduced to the numbers the benchmarks report.
 * autocannon has no type declarations; this file is the only place that touches its API.
 */
const autocannon = require("autocannon") as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface Histogram {
  average: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  "2xx": number;
}

export interface LoadOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Concurrent connections. */
  readonly connections: number;
  readonly durationSec: number;
  /** Fixed total request rate (requests/s); unset = as fast as possible. */
  readonly overallRate?: number;
}

export interface LoadResult {
  /** 2xx responses per second over the run. */
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly ok: number;
  readonly failed: number;
  /** What `failed` is made of: answers that were not 2xx, socket errors, time-outs (autocannon's split). */
  readonly failures: { readonly non2xx: number; readonly errors: number; readonly timeouts: number };
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: opts.url,
    method: "POST",
    headers: opts.headers,
    body: opts.body,
    connections: opts.connections,
    duration: opts.durationSec,
    overallRate: opts.overallRate,
    // A failed request must not count as a fast one.
    excludeErrorStats: true,
  });
  return {
    rps: Math.round(r["2xx"] / r.duration),
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    ok: r["2xx"],
    failed: r.non2xx + r.errors + r.timeouts,
    failures: { non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts },
  };
}

/** Runs the load once briefly (JIT, connection pools, token cache) and discards the numbers. */
export async function warmUp(opts: LoadOptions): Promise<void> {
  await runLoad({ ...opts, durationSec: Math.min(3, opts.durationSec) });
}
