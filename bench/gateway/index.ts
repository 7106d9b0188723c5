/**
 * `npm run bench -- gateway`: one small `tools/call`, side by side in one run — direct to the
 * upstream, through nginx (plain reverse proxy), through the gateway (auth, policy, durable
 * audit, masking) — at maximum throughput and at a fixed rate; then a 100 KB result with masking.
 * Flags: --duration <s> (10), --connections <n> (20), --rate <req/s> (500), --out <file>.
 */
import { parseBenchArgs } from "../support/bench-args";
import { log, ms, pct, saveResults } from "../support/bench-report";
import { startBenchStack } from "../support/bench-stack";
import { runLoad, warmUp, type LoadResult } from "../support/load";
import { callTool, openMcpHttpSession, toolCallBody, type McpHttpSession } from "../support/mcp-http-session";
import { findNginx, nginxVersion, startNginx, type RunningNginx } from "../support/nginx";

const row = (name: string, r: LoadResult): string =>
  `${name.padEnd(9)} ${String(r.rps).padStart(7)} req/s   p50 ${ms(r.p50).padStart(8)}   p99 ${ms(r.p99).padStart(8)}   errors ${r.failed}`;

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const nginxBin = findNginx();
  if (!nginxBin) log("nginx is not installed: the nginx baseline is skipped (Debian/Ubuntu: apt-get install nginx)");
  const sut = await startBenchStack();
  let nginx: RunningNginx | null = null;
  const sessions: McpHttpSession[] = [];
  try {
    if (nginxBin) nginx = await startNginx(nginxBin, new URL(sut.upstreamUrl));
    const targets: { name: string; url: string; auth: Record<string, string> }[] = [
      { name: "direct", url: sut.upstreamUrl, auth: {} },
      ...(nginx ? [{ name: "nginx", url: `${nginx.url}/mcp`, auth: {} }] : []),
      { name: "gateway", url: sut.gatewayMcpUrl, auth: { authorization: `Bearer ${sut.token}` } },
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

    log(`small tools/call, maximum throughput (${args.connections} connections, ${args.duration} s each)`);
    const max: Record<string, LoadResult> = {};
    for (const t of targets) {
      await warmUp(load(t.name, { connections: args.connections }));
      max[t.name] = await runLoad(load(t.name, { connections: args.connections }));
      log(row(t.name, max[t.name]));
    }
    log(`small tools/call at a fixed ${args.rate} req/s (${args.duration} s each)`);
    const fixed: Record<string, LoadResult> = {};
    for (const t of targets) {
      fixed[t.name] = await runLoad(load(t.name, { connections: 50, overallRate: args.rate }));
      log(row(t.name, fixed[t.name]));
    }
    log(`100 KB result (customer_export, PII in every record), 4 connections, ${args.duration} s each`);
    const bigBody = toolCallBody("customer_export", { kb: 100 });
    const large: Record<string, LoadResult> = {};
    for (const name of ["direct", "gateway"]) {
      await warmUp(load(name, { connections: 4, body: bigBody }));
      large[name] = await runLoad(load(name, { connections: 4, body: bigBody }));
      log(row(name, large[name]));
    }

    const summary = {
      gatewayToNginxThroughput: max.nginx ? max.gateway.rps / max.nginx.rps : null,
      gatewayToDirectThroughput: max.gateway.rps / max.direct.rps,
      addedP99AtRateVsDirectMs: fixed.gateway.p99 - fixed.direct.p99,
      addedP50AtRateVsDirectMs: fixed.gateway.p50 - fixed.direct.p50,
      addedP99AtRateVsNginxMs: fixed.nginx ? fixed.gateway.p99 - fixed.nginx.p99 : null,
      large100KbAddedP50Ms: large.gateway.p50 - large.direct.p50,
      large100KbAddedP99Ms: large.gateway.p99 - large.direct.p99,
    };
    log("summary");
    if (summary.gatewayToNginxThroughput !== null)
      log(`  gateway / nginx throughput: ${pct(summary.gatewayToNginxThroughput)} (goal >= 40%)`);
    log(`  gateway / direct throughput: ${pct(summary.gatewayToDirectThroughput)}`);
    log(
      `  added latency at ${args.rate} req/s vs direct: p50 +${ms(summary.addedP50AtRateVsDirectMs)}, p99 +${ms(summary.addedP99AtRateVsDirectMs)} (goal p99 <= +5 ms)`,
    );
    log(
      `  100 KB result with masking, added: p50 +${ms(summary.large100KbAddedP50Ms)}, p99 +${ms(summary.large100KbAddedP99Ms)}`,
    );
    const file = saveResults(
      "gateway",
      { args, nginx: nginxBin ? nginxVersion(nginxBin) : null, max, fixed, large, summary },
      args.out,
    );
    log(`results: ${file}`);
  } finally {
    await Promise.allSettled(sessions.map((s) => s.close()));
    await nginx?.stop();
    await sut.stop();
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`bench gateway failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
