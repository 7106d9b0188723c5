/**
 * Git helpers for the policy commands: the repository of the working directory and a
 * throw-away export of another ref (`git archive`, which never touches the repository's
 * worktrees, index or refs: other people may be working in it).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError } from "../cli-error";

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

/** The top of the git repository containing `cwd`, or null. */
export function gitTopLevel(cwd: string): string | null {
  try {
    return git(cwd, ["rev-parse", "--show-toplevel"]);
  } catch {
    return null;
  }
}

export function resolveRef(root: string, ref: string): string {
  try {
    return git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new CliError(
      `git ref '${ref}' not found in ${root}: fetch it first (e.g. git fetch origin main) or pass another --base`,
      2,
    );
  }
}

export function headCommit(root: string): string | null {
  try {
    return git(root, ["rev-parse", "HEAD"]);
  } catch {
    return null;
  }
}

/**
 * Exports `commit` into a new temporary directory and links node_modules so its policies can
 * load their dependencies. Returns the directory and a cleanup function.
 */
export function exportCommit(root: string, commit: string, nodeModules: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-policy-base-"));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const archive = execFileSync("git", ["archive", "--format=tar", commit], {
      cwd: root,
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
    execFileSync("tar", ["-x", "-C", dir], { input: archive, stdio: ["pipe", "ignore", "pipe"] });
    if (fs.existsSync(nodeModules) && !fs.existsSync(path.join(dir, "node_modules")))
      fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
  } catch (e) {
    cleanup();
    throw new CliError(`cannot export ${commit.slice(0, 12)} to build its policies: ${(e as Error).message}`, 1);
  }
  return { dir, cleanup };
}
