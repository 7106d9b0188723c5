/**
 * What masking one copy of a result costs in this run: the gateway's engine, the bench bundle's
 * rules, the parsed message (what the gateway holds), p50 over many runs. The 100 KB result's
 * added latency is compared with 3 x this plus the append floor.
 */
import { createMasker } from "../../runtime/core/masking";
import type { PolicyBundle } from "../../runtime/core/policy-model/schema";

export function maskOneCopyP50(bundle: PolicyBundle, message: unknown, runs = 300): number {
  const masker = createMasker({ bundle });
  const ctx = { server: "bench", tool: "customer_export", copy: "client" as const };
  for (let i = 0; i < 30; i++) masker.maskMessage(message, ctx);
  const d: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    masker.maskMessage(message, ctx);
    d.push(performance.now() - t);
  }
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)];
}
