/**
 * `npm run bench -- mask`: the masking engine on one core.
 * - throughput (MB/s) on a ~1 MB mixed JSON tool result, all built-in detectors on: the masker
 *   on the parsed message (what the gateway holds), the same with JSON.parse + JSON.stringify
 *   around it, and the naive baseline (one regex per detector over the serialized message);
 * - the latency masking adds to a ~100 KB result: p50/p99 over many runs, one copy and both
 *   copies (client + audit) in two walks and in one walk (maskMessageCopies, what the gateway
 *   does per result), also under the gateway bench's bundle, where the copies' plans differ.
 * Flags: --out <file> (results JSON; default bench/results/mask-<time>.json); --profile <dir>
 * (a CPU profile of the engine alone and its top self-time entries, see engine-profile.ts).
 */
import { createMasker } from "../../runtime/core/masking";
import { parseBenchArgs } from "../support/bench-args";
import { benchBundle } from "../support/bench-stack";
import { log, machine, saveResults } from "../support/bench-report";
import { profileEngine } from "./engine-profile";
import { naiveMask } from "./naive-baseline";
import { sampleResult } from "./sample-results";
import { bareLoop } from "../support/machine-speed";

const now = () => Number(process.hrtime.bigint()) / 1e6;
/** CPU time of this process in ms: on a shared, loaded machine it excludes time spent waiting for a core. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface Rate {
  /** Median MB/s by wall-clock time. */
  wall: number;
  /** Median MB/s by CPU time of the process. */
  cpu: number;
}

/** Median MB/s of `runs` timed runs after `warmup` untimed ones, by wall and by CPU time. */
function throughput(bytes: number, runs: number, warmup: number, fn: () => unknown): Rate {
  for (let k = 0; k < warmup; k++) fn();
  const wall: number[] = [];
  const cpus: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = now();
    const c = cpu();
    fn();
    cpus.push(bytes / 1e6 / (Math.max(cpu() - c, 0.001) / 1000));
    wall.push(bytes / 1e6 / ((now() - t) / 1000));
  }
  wall.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  return { wall: percentile(wall, 50), cpu: percentile(cpus, 50) };
}

interface Latency {
  p50: number;
  p99: number;
  /** CPU ms per run: total CPU time over the runs divided by their number. */
  cpuMean: number;
}

function latency(runs: number, warmup: number, fn: () => unknown): Latency {
  for (let k = 0; k < warmup; k++) fn();
  const d: number[] = [];
  const c0 = cpu();
  for (let k = 0; k < runs; k++) {
    const t = now();
    fn();
    d.push(now() - t);
  }
  const cpuMean = (cpu() - c0) / runs;
  d.sort((a, b) => a - b);
  return { p50: percentile(d, 50), p99: percentile(d, 99), cpuMean };
}

const fmtRate = (r: Rate) => `${r.wall.toFixed(1)} MB/s wall, ${r.cpu.toFixed(1)} MB/s CPU`;
const fmtLat = (l: Latency) =>
  `p50 ${l.p50.toFixed(3)} ms, p99 ${l.p99.toFixed(3)} ms (wall), ${l.cpuMean.toFixed(3)} ms CPU per run`;

/** Two walks against one walk for both copies under the gateway bench's bundle, and how often the one walk rescans. */
function policyCopies(message: unknown) {
  const masker = createMasker({ bundle: benchBundle("http://127.0.0.1:9/mcp") });
  const ctx = { server: "bench", tool: "customer_export" };
  const twoWalks = latency(2000, 200, () => {
    masker.maskMessage(message, { ...ctx, copy: "client" });
    masker.maskMessage(message, { ...ctx, copy: "audit" });
  });
  const oneWalk = latency(2000, 200, () => masker.maskMessageCopies(message, ctx));
  const before = { ...masker.copyStats };
  masker.maskMessageCopies(message, ctx);
  const stats = {
    shared: masker.copyStats.shared - before.shared,
    rescanned: masker.copyStats.rescanned - before.rescanned,
    rewalked: masker.copyStats.rewalked - before.rewalked,
  };
  return { twoWalks, oneWalk, stats };
}

function main(): void {
  const args = parseBenchArgs(process.argv.slice(2));
  const masker = createMasker({ bundle: null });
  const client = { server: "customers", tool: "get_customer", copy: "client" as const };
  const audit = { ...client, copy: "audit" as const };
  const copies = { server: client.server, tool: client.tool };

  const big = sampleResult(1024 * 1024);
  const bigText = JSON.stringify(big);
  const bytes = Buffer.byteLength(bigText);
  const counts = masker.maskMessage(big, client).counts;
  log(
    `mask bench: ${(bytes / 1024).toFixed(0)} KiB result, ${Object.values(counts).reduce((a, b) => a + b, 0)} values masked ${JSON.stringify(counts)}`,
  );

  const engine = throughput(bytes, 20, 5, () => masker.maskMessage(big, client));
  const endToEnd = throughput(bytes, 20, 5, () =>
    JSON.stringify(masker.maskMessage(JSON.parse(bigText), client).value),
  );
  const naive = throughput(bytes, 10, 2, () => naiveMask(bigText));
  // The machine's own speed, for comparing runs on shared or loaded machines: one charCodeAt pass.
  const bare = throughput(bytes, 20, 5, () => bareLoop(bigText));
  log(
    `throughput (1 MB, median of runs):\n  engine (parsed message)       ${fmtRate(engine)}\n  engine + JSON.parse/stringify ${fmtRate(endToEnd)}\n  naive regex baseline          ${fmtRate(naive)}\n  reference: bare charCodeAt loop ${fmtRate(bare)} (machine speed)`,
  );

  const small = sampleResult(100 * 1024);
  const smallBytes = Buffer.byteLength(JSON.stringify(small));
  const one = latency(2000, 200, () => masker.maskMessage(small, client));
  const both = latency(2000, 200, () => {
    masker.maskMessage(small, client);
    masker.maskMessage(small, audit);
  });
  const oneWalk = latency(2000, 200, () => masker.maskMessageCopies(small, copies));
  // The gateway bench's bundle: the client copy masks cards, e-mails and SSNs, the audit copy every detector.
  const policy = policyCopies(small);
  log(
    `added latency (${(smallBytes / 1024).toFixed(0)} KiB result, 2000 runs):\n  one copy      ${fmtLat(one)}\n  client+audit  ${fmtLat(both)}\n  client + audit copies, one walk  ${fmtLat(oneWalk)}\n` +
      `  gateway bench bundle: client+audit ${fmtLat(policy.twoWalks)}\n  gateway bench bundle: client + audit copies, one walk ${fmtLat(policy.oneWalk)}\n` +
      `  gateway bench bundle, per message: ${policy.stats.shared} strings scanned once for both copies, ${policy.stats.rescanned} of them again for the client copy, ${policy.stats.rewalked} messages walked twice`,
  );

  const file = saveResults(
    "mask",
    {
      bytes,
      counts,
      throughputMBps: { engine, endToEnd, naive, bareLoop: bare },
      latency100k: {
        bytes: smallBytes,
        oneCopy: one,
        bothCopies: both,
        bothCopiesOneWalk: oneWalk,
        gatewayBundle: policy,
      },
    },
    args.out,
  );
  log(`machine: ${JSON.stringify(machine())}`);
  log(`results: ${file}`);
  if (args.profile) profileEngine(args.profile, 60, () => masker.maskMessage(big, client));
}

main();
