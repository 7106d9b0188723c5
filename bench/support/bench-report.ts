/** Prints a benchmark's results and keeps them as JSON under bench/results/ (git-ignored). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../../runtime/core/repo-root";

export function machine(): Record<string, unknown> {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavg: os.loadavg(),
  };
}

export function saveResults(name: string, results: unknown, out?: string): string {
  const file =
    out ?? path.join(repoRoot(), "bench", "results", `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify({ name, at: new Date().toISOString(), machine: machine(), results }, null, 2) + "\n",
  );
  return file;
}

export function log(line: string): void {
  process.stdout.write(line + "\n");
}

export const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
export const pct = (n: number): string => `${(n * 100).toFixed(0)}%`;
