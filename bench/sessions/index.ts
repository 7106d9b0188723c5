/**
 * `npm run bench -- sessions`: memory of the gateway and the agent per 1,000 open MCP sessions
 * (opened through the gateway and left open), then a soak — steady tool calls with session churn
 * — sampling resident memory to show whether it grows.
 * Flags: --sessions <n> (1000), --soak-minutes <m> (10), --rate <req/s> (500; the soak uses a
 * fifth of it), --out <file>.
 */
import { slope } from "../support/trend";
import { parseBenchArgs } from "../support/bench-args";
import { log, saveResults } from "../support/bench-report";
import { startBenchStack, type BenchStack } from "../support/bench-stack";
import { runLoad } from "../support/load";
import { openMcpHttpSession, toolCallBody, type McpHttpSession } from "../support/mcp-http-session";
import { rssMiB } from "../support/process-memory";

type Sample = { atMin: number; gateway: number; agent: number; upstream: number; callsPerSec?: number };

const mib = (n: number): string => `${n.toFixed(1)} MiB`;

function sample(sut: BenchStack, startedAt: number): Sample {
  return {
    atMin: (Date.now() - startedAt) / 60_000,
    gateway: rssMiB(sut.pid("gateway")),
    agent: rssMiB(sut.pid("agent")),
    upstream: rssMiB(sut.pid("upstream")),
  };
}

/** Opens `n` sessions through the gateway, `parallel` at a time. */
async function openMany(sut: BenchStack, n: number, parallel = 16): Promise<McpHttpSession[]> {
  const out: McpHttpSession[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        next++;
        out.push(await openMcpHttpSession(sut.gatewayMcpUrl, { authorization: `Bearer ${sut.token}` }));
      }
    }),
  );
  return out;
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const sut = await startBenchStack();
  const open: McpHttpSession[] = [];
  try {
    const t0 = Date.now();
    // Settle: a few sessions and calls so lazy initialisation is not counted as per-session cost.
    const warm = await openMany(sut, 20);
    await runLoad({
      url: warm[0].url,
      headers: warm[0].headers,
      body: toolCallBody("echo", { text: "warm" }),
      connections: 4,
      durationSec: 3,
    });
    await Promise.all(warm.map((s) => s.close()));
    await new Promise((r) => setTimeout(r, 2000));
    const before = sample(sut, t0);
    open.push(...(await openMany(sut, args.sessions)));
    await new Promise((r) => setTimeout(r, 2000));
    const after = sample(sut, t0);
    const per1000 = (k: "gateway" | "agent" | "upstream") => ((after[k] - before[k]) * 1000) / args.sessions;
    log(`${args.sessions} open MCP sessions through the gateway (resident memory, Linux VmRSS)`);
    log(`  gateway  ${mib(before.gateway)} -> ${mib(after.gateway)}: ${mib(per1000("gateway"))} per 1,000 sessions`);
    log(`  agent    ${mib(before.agent)} -> ${mib(after.agent)}: ${mib(per1000("agent"))} per 1,000 sessions`);
    log(
      `  upstream ${mib(before.upstream)} -> ${mib(after.upstream)} (the MCP server's own session state; not Gatehouse)`,
    );

    const samples: Sample[] = [after];
    const end = Date.now() + args.soakMinutes * 60_000;
    const rate = Math.max(1, Math.round(args.rate / 5));
    if (args.soakMinutes > 0)
      log(
        `soak: ${args.soakMinutes} min of tools/call at ${rate} req/s over the open sessions, 50 sessions replaced every 30 s`,
      );
    let i = 0;
    while (Date.now() < end) {
      const s = open[i++ % open.length];
      const chunk = Math.max(1, Math.min(30, Math.round((end - Date.now()) / 1000)));
      const done = await runLoad({
        url: s.url,
        headers: s.headers,
        body: toolCallBody("echo", { text: `soak ${i}` }),
        connections: 10,
        durationSec: chunk,
        overallRate: rate,
      });
      // Churn: end 50 sessions and open 50 new ones, so session teardown is exercised too.
      const gone = open.splice(0, 50);
      await Promise.all(gone.map((g) => g.close()));
      open.push(...(await openMany(sut, gone.length)));
      const sm = { ...sample(sut, t0), callsPerSec: done.rps };
      samples.push(sm);
      log(
        `  ${sm.atMin.toFixed(1).padStart(5)} min  gateway ${mib(sm.gateway)}  agent ${mib(sm.agent)}  (${done.rps} calls/s, ${done.failed} failed)`,
      );
    }
    const last = samples[samples.length - 1];
    // Growth over the second half of the soak (after the heap has reached its working size),
    // per minute: a leak keeps climbing, a healthy process flattens out.
    const mid = samples[Math.floor(samples.length / 2)];
    const span = Math.max(1e-9, last.atMin - mid.atMin);
    const half = samples.slice(Math.floor(samples.length / 2));
    const fit = (p: "gateway" | "agent") => slope(half.map((s) => ({ x: s.atMin, y: s[p] })));
    const growth = {
      gateway: last.gateway - mid.gateway,
      agent: last.agent - mid.agent,
      gatewayPerMin: (last.gateway - mid.gateway) / span,
      agentPerMin: (last.agent - mid.agent) / span,
      // Least-squares over every sample of the second half: what a leak looks like, GC swings aside.
      gatewayFitPerMin: fit("gateway"),
      agentFitPerMin: fit("agent"),
    };
    if (args.soakMinutes > 0) {
      log(`after the soak: gateway ${mib(last.gateway)}, agent ${mib(last.agent)}`);
      log(
        `second half of the soak (${mid.atMin.toFixed(1)} -> ${last.atMin.toFixed(1)} min): gateway ${growth.gateway >= 0 ? "+" : ""}${mib(growth.gateway)} (${growth.gatewayPerMin.toFixed(2)} MiB/min), agent ${growth.agent >= 0 ? "+" : ""}${mib(growth.agent)} (${growth.agentPerMin.toFixed(2)} MiB/min)`,
      );
      log(
        `trend of the second half (least squares over ${half.length} samples): gateway ${growth.gatewayFitPerMin.toFixed(2)} MiB/min, agent ${growth.agentFitPerMin.toFixed(2)} MiB/min`,
      );
    }
    log(
      `results: ${saveResults("sessions", { args, before, after, perThousandMiB: { gateway: per1000("gateway"), agent: per1000("agent") }, samples, growthMiB: growth }, args.out)}`,
    );
  } finally {
    await Promise.allSettled(open.map((s) => s.close()));
    await sut.stop();
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`bench sessions failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
