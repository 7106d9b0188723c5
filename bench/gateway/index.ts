/**
 * `npm run bench -- gateway`: one small `tools/call`, side by side in one run — direct to the
 * upstream, through nginx (plain reverse proxy), through the gateway (auth, policy, durable
 * audit, masking) — at maximum throughput and at a fixed rate; then a 100 KB result with masking.
 * Beside each run: CPU per call of each process from /proc (gateway, agent; upstream and Azurite
 * apart), the load average, and the floors the design imposes, measured in the same run (one
 * durable audit write; masking one copy of the 100 KB result).
 * Flags: --duration <s> (10), --connections <n> (20), --rate <req/s> (500; paced, open loop), --quick (A/B:
 * maximum throughput, the paced pair and the 100 KB pair only), --profile <dir>, --out <file>.
 */
import fs from "node:fs";
import path from "node:path";
import { measureAppendFloor } from "../support/append-floor";
import { parseBenchArgs } from "../support/bench-args";
import { log, ms, pct, saveResults } from "../support/bench-report";
import { benchBundle, startBenchStack } from "../support/bench-stack";
import { customerExport } from "../support/bench-upstream-server";
import { componentShares, profileOf, topSelfTime } from "../support/cpu-profile";
import { runLoad, warmUp, type LoadResult } from "../support/load";
import { runPaced } from "../support/paced-load";
import { callTimings } from "../support/call-timings";
import { machineSpeedMBps } from "../support/machine-speed";
import { maskOneCopyP50 } from "../support/mask-time";
import { callTool, openMcpHttpSession, toolCallBody, type McpHttpSession } from "../support/mcp-http-session";
import { findNginx, nginxVersion, startNginx, type RunningNginx } from "../support/nginx";
import { cpuPerCall, loadAverage, sampleCpu } from "../support/proc-cpu";
import { logToFile } from "../support/quiet-logger";

const row = (name: string, r: LoadResult): string =>
  `${name.padEnd(9)} ${String(r.rps).padStart(7)} req/s   p50 ${ms(r.p50).padStart(8)}   p99 ${ms(r.p99).padStart(8)}   errors ${r.failed}` +
  (r.failed > 0
    ? ` (non-2xx ${r.failures.non2xx}, socket ${r.failures.errors}, time-outs ${r.failures.timeouts})`
    : "");
const cpuRow = (c: Record<string, number>): string =>
  "          CPU per call: " +
  Object.entries(c)
    .map(([n, v]) => `${n} ${v.toFixed(2)} ms`)
    .join(", ");

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  // The append-floor measurement runs the audit sink here: its log lines go to a file.
  logToFile("gateway");
  const nginxBin = findNginx();
  if (!nginxBin) log("nginx is not installed: the nginx baseline is skipped (Debian/Ubuntu: apt-get install nginx)");
  const loadBefore = loadAverage();
  log(`load average before: ${loadBefore}`);
  // Per-core speed of the machine today (machine-speed.ts): CPU-per-call figures of different days compare only through it.
  const machineSpeed = machineSpeedMBps();
  log(`machine speed (bare charCodeAt loop, CPU): ${machineSpeed.toFixed(0)} MB/s`);
  if (args.profile) {
    // Inherited by the stack's processes; the gateway and the agent write their profiles when they stop.
    fs.mkdirSync(args.profile, { recursive: true });
    process.env.GATEHOUSE_BENCH_PROFILE_DIR = path.resolve(args.profile);
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(__dirname, "..", "support", "cpu-profile-preload.js")}`;
  }
  const sut = await startBenchStack();
  if (args.profile) {
    delete process.env.NODE_OPTIONS;
    delete process.env.GATEHOUSE_BENCH_PROFILE_DIR;
  }
  const pids = {
    gateway: sut.pid("gateway"),
    agent: sut.pid("agent"),
    upstream: sut.pid("upstream"),
    azurite: sut.pid("azurite"),
  };
  let nginx: RunningNginx | null = null;
  const sessions: McpHttpSession[] = [];
  try {
    if (nginxBin) nginx = await startNginx(nginxBin, new URL(sut.upstreamUrl));
    const targets: { name: string; url: string; auth: Record<string, string>; procs: (keyof typeof pids)[] }[] = [
      { name: "direct", url: sut.upstreamUrl, auth: {}, procs: ["upstream"] },
      ...(nginx ? [{ name: "nginx", url: `${nginx.url}/mcp`, auth: {}, procs: ["upstream" as const] }] : []),
      {
        name: "gateway",
        url: sut.gatewayMcpUrl,
        auth: { authorization: `Bearer ${sut.token}` },
        procs: ["gateway", "agent", "upstream", "azurite"],
      },
    ];
    const open = new Map<string, McpHttpSession>();
    for (const t of targets) {
      const s = await openMcpHttpSession(t.url, t.auth);
      sessions.push(s);
      open.set(t.name, s);
      await callTool(s, "echo", { text: "hello" });
    }
    // The gateway really masks: no card number survives in the 100 KB result.
    const big = await callTool(open.get("gateway")!, "customer_export", { kb: 100 });
    if (/4111 1111 1111 1111|@example\.com/.test(big.text))
      throw new Error("the gateway returned unmasked data: the benchmark's bundle is wrong");

    const small = toolCallBody("echo", { text: "hello" });
    const load = (name: string, extra: { connections: number; overallRate?: number; body?: string }) => {
      const s = open.get(name)!;
      return {
        url: s.url,
        headers: s.headers,
        body: extra.body ?? small,
        connections: extra.connections,
        durationSec: args.duration,
        overallRate: extra.overallRate,
      };
    };
    // The fixed-rate runs: evenly spaced requests, open loop (paced-load.ts says why not autocannon's rate).
    const pacedOf = (name: string) => {
      const s = open.get(name)!;
      return { url: s.url, headers: s.headers, body: small, rate: args.rate, durationSec: args.duration };
    };
    const paced = (name: string) => runPaced(pacedOf(name));
    const profiled = (t: string) => !!args.profile && t === "gateway";
    /** Runs one gateway load phase, profiled with --profile (phase 1: the small call, 2: the 100 KB result). */
    const profiledLoad = async (t: string, opts: Parameters<typeof load>[1]) => {
      if (profiled(t)) toggleProfilers();
      try {
        return await runLoad(load(t, opts));
      } finally {
        if (profiled(t)) toggleProfilers();
      }
    };
    const toggleProfilers = () => [pids.gateway, pids.agent].forEach((pid) => process.kill(pid, "SIGUSR2"));
    const measured = async (t: (typeof targets)[number], opts: Parameters<typeof load>[1]) => {
      const procs = Object.fromEntries(t.procs.map((p) => [p, pids[p]]));
      const before = sampleCpu(procs);
      const r = await profiledLoad(t.name, opts);
      return { ...r, cpuPerCallMs: cpuPerCall(before, sampleCpu(procs), r.ok + r.failed) };
    };

    if (args.quick) {
      log(`quick: small tools/call, maximum throughput (${args.connections} connections, ${args.duration} s each)`);
      const quick: Record<string, LoadResult & { cpuPerCallMs: Record<string, number> }> = {};
      for (const t of targets.filter((x) => x.name !== "direct")) {
        await warmUp(load(t.name, { connections: args.connections }));
        quick[t.name] = await measured(t, { connections: args.connections });
        log(row(t.name, quick[t.name]));
        log(cpuRow(quick[t.name].cpuPerCallMs));
      }
      if (quick.nginx) log(`  gateway / nginx throughput: ${pct(quick.gateway.rps / quick.nginx.rps)}`);
      log(`quick: small tools/call at a fixed ${args.rate} req/s, evenly spaced (${args.duration} s each)`);
      const atRate: Record<string, LoadResult> = {};
      for (const name of ["direct", "gateway"]) {
        atRate[name] = await paced(name);
        log(row(name, atRate[name]));
      }
      log(
        `  added latency at ${args.rate} req/s vs direct: p50 +${ms(atRate.gateway.p50 - atRate.direct.p50)}, p99 +${ms(atRate.gateway.p99 - atRate.direct.p99)}`,
      );
      log(`quick: 100 KB result, 4 connections, ${args.duration} s each`);
      const bigBody = toolCallBody("customer_export", { kb: 100 });
      const big: Record<string, LoadResult> = {};
      for (const name of ["direct", "gateway"]) {
        await warmUp(load(name, { connections: 4, body: bigBody }));
        big[name] = await profiledLoad(name, { connections: 4, body: bigBody });
        log(row(name, big[name]));
      }
      log(`  100 KB result with masking, added: p50 +${ms(big.gateway.p50 - big.direct.p50)}`);
      log(`load average before: ${loadBefore}; after: ${loadAverage()}`);
      return;
    }
    const floor = await measureAppendFloor(sut.stack.info.storageConnectionString);
    log(
      `floor: one durable audit write (production sink, same Azurite, one writer): p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}`,
    );
    const bigMessage = { jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: customerExport(100) }] } };
    const maskP50 = maskOneCopyP50(benchBundle(sut.upstreamUrl), bigMessage);
    log(`floor: masking one copy of the 100 KB result (in this process): p50 ${ms(maskP50)}`);

    log(`small tools/call, maximum throughput (${args.connections} connections, ${args.duration} s each)`);
    const max: Record<string, LoadResult & { cpuPerCallMs: Record<string, number> }> = {};
    for (const t of targets) {
      await warmUp(load(t.name, { connections: args.connections }));
      max[t.name] = await measured(t, { connections: args.connections });
      log(row(t.name, max[t.name]));
      log(cpuRow(max[t.name].cpuPerCallMs));
    }
    log(`small tools/call at a fixed ${args.rate} req/s, evenly spaced, open loop (${args.duration} s each)`);
    const fixed: Record<string, LoadResult> = {};
    for (const t of targets) {
      fixed[t.name] = await paced(t.name);
      log(row(t.name, fixed[t.name]));
    }
    // One call at a time (20 req/s, paced): the client's latency beside the gateway's own timings.
    const since = new Date();
    const lone = { direct: await runPaced({ ...pacedOf("direct"), rate: 20, durationSec: 5 }) };
    const loneGateway = await runPaced({ ...pacedOf("gateway"), rate: 20, durationSec: 5 });
    const own = await callTimings(sut.stack.info.storageConnectionString, "echo", since);
    log(
      `one call at a time (20 req/s, 5 s): direct p50 ${ms(lone.direct.p50)} p99 ${ms(lone.direct.p99)}, gateway p50 ${ms(loneGateway.p50)} p99 ${ms(loneGateway.p99)}; the gateway's own timings (${own.calls} response records) p50: decision ${ms(own.decidedP50)}, forward to response record ${ms(own.upstreamP50)}, start to response record ${ms(own.totalP50)} (the rest: the response record's append and the write)`,
    );
    log(`100 KB result (customer_export, PII in every record), 4 connections, ${args.duration} s each`);
    const bigBody = toolCallBody("customer_export", { kb: 100 });
    const large: Record<string, LoadResult> = {};
    for (const name of ["direct", "gateway"]) {
      await warmUp(load(name, { connections: 4, body: bigBody }));
      large[name] = await profiledLoad(name, { connections: 4, body: bigBody });
      log(row(name, large[name]));
    }

    const g = max.gateway.cpuPerCallMs;
    const summary = {
      gatewayToNginxThroughput: max.nginx ? max.gateway.rps / max.nginx.rps : null,
      gatewayToDirectThroughput: max.gateway.rps / max.direct.rps,
      gatewayCpuPerCallMs: g.gateway,
      agentCpuPerCallMs: g.agent,
      appendFloorP50Ms: floor.p50,
      appendFloorP99Ms: floor.p99,
      maskOneCopyP50Ms: maskP50,
      addedP50AtRateVsDirectMs: fixed.gateway.p50 - fixed.direct.p50,
      addedP99AtRateVsDirectMs: fixed.gateway.p99 - fixed.direct.p99,
      addedP50AtLowRateVsDirectMs: loneGateway.p50 - lone.direct.p50,
      addedP99AtLowRateVsDirectMs: loneGateway.p99 - lone.direct.p99,
      addedP50Goal: 2 * floor.p50 + 2,
      addedP99Goal: 2 * floor.p99 + 5,
      large100KbAddedP50Ms: large.gateway.p50 - large.direct.p50,
      large100KbAddedP99Ms: large.gateway.p99 - large.direct.p99,
      large100KbP50Goal: 3 * maskP50 + floor.p50,
    };
    const loadAfter = loadAverage();
    log("summary");
    if (summary.gatewayToNginxThroughput !== null)
      log(`  gateway / nginx throughput: ${pct(summary.gatewayToNginxThroughput)} (goal >= 40%)`);
    log(`  gateway / direct throughput: ${pct(summary.gatewayToDirectThroughput)}`);
    log(`  CPU per call: gateway ${ms(g.gateway)} (goal <= 0.7 ms), agent ${ms(g.agent)} (goal <= 0.3 ms)`);
    log(
      `  added latency at ${args.rate} req/s vs direct: p50 +${ms(summary.addedP50AtRateVsDirectMs)} (goal <= 2 x append p50 + 2 = ${ms(summary.addedP50Goal)}), p99 +${ms(summary.addedP99AtRateVsDirectMs)} (goal <= 2 x append p99 + 5 = ${ms(summary.addedP99Goal)})`,
    );
    log(
      `  added latency one call at a time (20 req/s) vs direct: p50 +${ms(summary.addedP50AtLowRateVsDirectMs)} (same goal: ${ms(summary.addedP50Goal)}), p99 +${ms(summary.addedP99AtLowRateVsDirectMs)} (${ms(summary.addedP99Goal)})`,
    );
    log(
      `  100 KB result with masking, added: p50 +${ms(summary.large100KbAddedP50Ms)} (goal <= 3 x mask + append p50 = ${ms(summary.large100KbP50Goal)}), p99 +${ms(summary.large100KbAddedP99Ms)}`,
    );
    log(`load average before: ${loadBefore}; after: ${loadAfter}`);
    const file = saveResults(
      "gateway",
      {
        args,
        nginx: nginxBin ? nginxVersion(nginxBin) : null,
        loadBefore,
        loadAfter,
        machineSpeedMBps: machineSpeed,
        floor,
        max,
        fixed,
        lone: { direct: lone.direct, gateway: loneGateway, timings: own },
        large,
        summary,
      },
      args.out,
    );
    log(`results: ${file}`);
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
    await nginx?.stop();
    await sut.stop();
    // The processes write their profiles when they stop (also after a --quick run).
    if (args.profile) printProfiles(args.profile, { gateway: pids.gateway, agent: pids.agent });
  }
}

/** The top 15 self-time entries of the gateway's and the agent's profiles. */
function printProfiles(dir: string, pids: Record<string, number>): void {
  const phases = ["small tools/call", "100 KB result"];
  for (const [i, phase] of phases.entries())
    for (const [name, pid] of Object.entries(pids)) {
      const file = profileOf(dir, pid, i + 1);
      if (!file) {
        log(`no CPU profile of the ${name} (pid ${pid}) for the ${phase} in ${dir}`);
        continue;
      }
      const { idle, entries } = topSelfTime(file);
      log(`${name}, ${phase}: top self time, share of busy samples (${pct(idle)} idle; ${file})`);
      for (const e of entries) log(`  ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.fn}  ${e.where}`);
      log(`${name}, ${phase}: self time by component`);
      for (const c of componentShares(file)) log(`  ${(c.share * 100).toFixed(1).padStart(5)}%  ${c.name}`);
    }
}

void main().catch((e: unknown) => {
  process.stderr.write(`bench gateway failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
