import { execFileSync } from "node:child_process";

/**
 * The commit a bundle is built from: GATEHOUSE_POLICY_COMMIT when set (CI passes the PR head;
 * an empty value means none), else `git rev-parse HEAD` in `cwd`, else null (not a repository).
 */
export function resolveCommit(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env.GATEHOUSE_POLICY_COMMIT;
  if (override !== undefined) return override.trim() === "" ? null : override.trim();
  try {
    return (
      execFileSync("git", ["rev-parse", "HEAD"], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim() || null
    );
  } catch {
    return null;
  }
}
