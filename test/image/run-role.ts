/**
 * Runs the built image entrypoint (dist/runtime/entrypoint.js, what the image's ENTRYPOINT runs)
 * as a child process and collects how it ended. Needs `npm run build` (npm test does it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../../runtime/core/repo-root";

export const ENTRYPOINT = path.join(repoRoot(), "dist", "runtime", "entrypoint.js");

export interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly stdout: string;
}

export interface RunningRole {
  readonly child: ChildProcess;
  readonly ended: Promise<Ended>;
  /** Resolves with the first stdout/stderr line matching `re`. */
  waitFor(re: RegExp): Promise<string>;
}

export function runEntrypoint(args: readonly string[], env: NodeJS.ProcessEnv): RunningRole {
  const child = spawn(process.execPath, [ENTRYPOINT, ...args], {
    env: { PATH: process.env.PATH, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  const scan = (text: string) => {
    for (const line of text.split("\n")) {
      for (const w of [...waiters]) {
        if (!w.re.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on("data", (d: Buffer) => ((stdout += d), scan(d.toString())));
  child.stderr!.on("data", (d: Buffer) => ((stderr += d), scan(d.toString())));
  const ended = new Promise<Ended>((resolve) =>
    child.once("close", (code, signal) => resolve({ code, signal, stderr, stdout })),
  );
  return {
    child,
    ended,
    waitFor: (re) => {
      const already = `${stdout}\n${stderr}`.split("\n").find((l) => re.test(l));
      return already !== undefined ? Promise.resolve(already) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}
