/**
 * Runs the official conformance suite (@modelcontextprotocol/conformance, its active server
 * suite) once against a URL and reads the per-scenario results it saves.
 */
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { repoRoot } from "../../runtime/core/repo-root";

export const CONFORMANCE_CLI = path.join(repoRoot(), "node_modules/@modelcontextprotocol/conformance/dist/index.js");

export interface SuiteResult {
  /** scenario → passed (every check SUCCESS or WARNING-free) */
  readonly scenarios: Map<string, boolean>;
  /** scenario → failed check ids with messages, for diagnostics */
  readonly failures: Map<string, string[]>;
  readonly output: string;
}

export async function runConformanceSuite(url: string, outDir: string, timeoutMs = 120_000): Promise<SuiteResult> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [CONFORMANCE_CLI, "server", "--url", url, "-o", outDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`the conformance suite did not finish within ${timeoutMs} ms against ${url}\n${output.slice(-2000)}`),
      );
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const scenarios = new Map<string, boolean>();
  const failures = new Map<string, string[]>();
  for (const dir of fs.readdirSync(outDir)) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(dir);
    const file = path.join(outDir, dir, "checks.json");
    if (!m || !fs.existsSync(file)) continue;
    const checks = JSON.parse(fs.readFileSync(file, "utf8")) as { id: string; status: string; errorMessage?: string }[];
    const bad = checks.filter((c) => c.status !== "SUCCESS" && c.status !== "INFO");
    scenarios.set(m[1], checks.length > 0 && bad.length === 0);
    if (bad.length)
      failures.set(
        m[1],
        bad.map((c) => `${c.id}: ${c.status} ${c.errorMessage ?? ""}`),
      );
  }
  return { scenarios, failures, output };
}
