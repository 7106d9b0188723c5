import { spawnSync } from "node:child_process";
import path from "node:path";

export const REPO = path.resolve(__dirname, "../../..");
export const CLI = path.join(REPO, "bin", "gatehouse.js");

/** Runs the built CLI (`npm run build` first) as a user would. */
export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.GATEHOUSE_POLICY_COMMIT;
  if (opts.env?.GATEHOUSE_POLICY_COMMIT !== undefined) env.GATEHOUSE_POLICY_COMMIT = opts.env.GATEHOUSE_POLICY_COMMIT;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? REPO,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
