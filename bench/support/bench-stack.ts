/**
 * The benchmarks' system under test: the benchmark upstream (a child process) and the real
 * product in front of it — Azurite, the local issuer, agent and gateway started exactly as
 * `npm run dev` starts them (dev/stack/start-local-stack.ts), with a bundle that routes server
 * `bench` to the upstream, gives Engineers standing access and masks card numbers, e-mails and
 * SSNs in both copies (the example organisation's masking rule).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sealBundle } from "../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../runtime/core/policy-model/schema";
import { fetchToken } from "../../dev/local-issuer-launcher";
import { launch, type LaunchedProcess } from "../../dev/process-launcher";
import { startLocalStack, type RunningLocalStack } from "../../dev/stack/start-local-stack";
import { repoRoot } from "../../runtime/core/repo-root";

export function benchBundle(upstreamUrl: string): PolicyBundle {
  return sealBundle({
    schemaVersion: 1,
    // customer_export reads data: declared read-only, its two records share one append (docs/decisions/0008);
    // echo is not, so the small call measures the two-append path.
    servers: [
      {
        name: "bench",
        description: "benchmark upstream",
        transport: { type: "http", url: upstreamUrl },
        readOnlyTools: ["customer_export"],
      },
    ],
    access: [
      {
        id: "bench-engineers",
        principals: { roles: ["Engineer"] },
        servers: ["bench"],
        mode: "standing",
        tools: { allow: ["*"] },
      },
    ],
    masking: [{ id: "personal-data", detectors: ["credit_card", "email", "us_ssn"], style: "redact", scope: "both" }],
  });
}

export async function startBenchUpstream(): Promise<LaunchedProcess> {
  return launch({
    name: "bench-upstream",
    command: process.execPath,
    args: [path.join(repoRoot(), "dist", "bench", "support", "bench-upstream-server.js")],
    ready: /bench upstream listening at (http:\/\/\S+)/,
  });
}

export interface BenchStack {
  readonly upstream: LaunchedProcess;
  readonly upstreamUrl: string;
  readonly stack: RunningLocalStack;
  readonly gatewayMcpUrl: string;
  /** alice's bearer token (Engineer). */
  readonly token: string;
  pid(name: "gateway" | "agent" | "upstream" | "azurite"): number;
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-stack-"));
  const upstream = await startBenchUpstream();
  const upstreamUrl = upstream.match[1];
  let stack: RunningLocalStack;
  try {
    stack = await startLocalStack({
      home,
      ports: { gateway: 0, agent: 0, issuer: 0, customers: 0, azuriteBlob: 0, azuriteTable: 0 },
      customers: false,
      bundle: () => benchBundle(upstreamUrl),
      // The per-identity rate limit (default 600/min) would cap one user's load; raise it, nothing else.
      gatewayEnv: { GATEHOUSE_RATE_LIMIT_PER_MINUTE: "1000000" },
    });
  } catch (e) {
    await upstream.stop();
    throw e;
  }
  const token = await fetchToken(stack.info.issuerUrl, "alice");
  return {
    upstream,
    upstreamUrl,
    stack,
    gatewayMcpUrl: `${stack.info.gatewayUrl}/mcp/bench`,
    token,
    pid: (name) =>
      name === "upstream" ? upstream.child.pid! : stack.children.find((c) => c.name === name)!.process.child.pid!,
    stop: async () => {
      await stack.stop();
      await upstream.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
