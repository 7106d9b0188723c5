/**
 * An open-loop load at a fixed rate: request i is due at start + i / rate, whatever happened to the
 * ones before, and its latency is counted from when it was due (so a stall is not hidden by the
 * requests that were never sent during it: no coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon gives each connection a budget of rate /
 * connections requests per second and lets it send them back to back as soon as the second starts,
 * then pauses it until the next second (lib/httpClient.js, `reqsMadeThisSecond`). At 200 req/s over
 * 50 connections that is a burst of 200 requests at the top of every second and silence after it:
 * the "fixed rate" latency measured how long a burst queues on two cores, not what a call adds.
 */
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import type { LoadResult } from "./load";

export interface PacedLoadOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Requests per second, spread evenly. */
  readonly rate: number;
  readonly durationSec: number;
  /** Requests allowed in flight before new ones count as failed (the target cannot keep up). @default 512 */
  readonly maxInFlight?: number;
  /** A request not answered in this time is a time-out. @default 10000 */
  readonly timeoutMs?: number;
}

/** The p-th percentile (0-100) of sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export async function runPaced(opts: PacedLoadOptions): Promise<LoadResult> {
  const target = new URL(opts.url);
  const client = target.protocol === "https:" ? https : http;
  const maxInFlight = opts.maxInFlight ?? 512;
  const agent = new client.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const body = Buffer.from(opts.body);
  const headers = { ...opts.headers, "content-type": "application/json", "content-length": String(body.length) };
  const total = Math.round(opts.rate * opts.durationSec);
  const intervalMs = 1000 / opts.rate;
  const latencies: number[] = [];
  const failures = { non2xx: 0, errors: 0, timeouts: 0 };
  let inFlight = 0;

  const one = (dueAt: number) =>
    new Promise<void>((resolve) => {
      if (inFlight >= maxInFlight) {
        failures.errors++;
        return resolve();
      }
      inFlight++;
      let settled = false;
      // Exactly once per request (a destroyed request may also report an error afterwards).
      const done = (outcome: "ok" | keyof typeof failures) => {
        if (settled) return;
        settled = true;
        inFlight--;
        if (outcome === "ok") latencies.push(performance.now() - dueAt);
        else failures[outcome]++;
        resolve();
      };
      const req = client.request(
        target,
        { method: "POST", headers, agent, timeout: opts.timeoutMs ?? 10_000 },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => done(res.statusCode! >= 200 && res.statusCode! < 300 ? "ok" : "non2xx"));
          res.on("error", () => done("errors"));
        },
      );
      req.on("timeout", () => {
        req.destroy();
        done("timeouts");
      });
      req.on("error", () => done("errors"));
      req.end(body);
    });

  const started = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request that is due by now goes out now, each counted from its own due time.
      while (sent < total && started + sent * intervalMs <= now) pending.push(one(started + sent++ * intervalMs));
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const elapsedSec = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const failed = failures.non2xx + failures.errors + failures.timeouts;
  return {
    rps: Math.round(latencies.length / Math.max(elapsedSec, opts.durationSec)),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.length ? latencies[latencies.length - 1] : NaN,
    ok: latencies.length,
    failed,
    failures,
  };
}
