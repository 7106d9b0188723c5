/**
 * Whether policy commits exist in a git repository (`git cat-file -e <commit>^{commit}`). Without
 * a repository (or without git) every commit is `unverifiable`: the report says so rather than
 * guessing.
 */
import { spawnSync } from "node:child_process";
import type { CommitCheck } from "./report-types";

const COMMIT = /^[0-9a-f]{7,64}$/i;

export function isGitRepository(dir: string): boolean {
  const r = spawnSync("git", ["-C", dir, "rev-parse", "--git-dir"], { encoding: "utf8", timeout: 10_000 });
  return r.status === 0;
}

/** A CommitCheck against `repoDir`, or null when it is not a git repository. */
export function gitCommitCheck(repoDir: string): CommitCheck | null {
  if (!isGitRepository(repoDir)) return null;
  const cache = new Map<string, "found" | "missing">();
  return (commit) => {
    // Only hex object names reach git: a record's text is never passed as a revision expression.
    if (!COMMIT.test(commit)) return "missing";
    let s = cache.get(commit);
    if (!s) {
      const r = spawnSync("git", ["-C", repoDir, "cat-file", "-e", `${commit}^{commit}`], { timeout: 10_000 });
      s = r.status === 0 ? "found" : "missing";
      cache.set(commit, s);
    }
    return s;
  };
}
