/**
 * `.gatehouse/pids.json`: the processes the local stack started, so that a start after a crash
 * (or a `kill -9` of `npm run dev`) can end the leftovers before it binds the same ports.
 *
 * A pid is only signalled when /proc shows it still runs the command that was recorded, so a
 * recycled pid belonging to something else is never touched.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const PidsSchema = z.object({
  stack: z.object({ pid: z.number().int().positive(), cmdline: z.string() }),
  children: z.array(z.object({ name: z.string(), pid: z.number().int().positive(), cmdline: z.string() })),
});
export type StackPids = z.infer<typeof PidsSchema>;

export const pidsFile = (home: string): string => path.join(home, "pids.json");

/** The command line of a running process, or null when there is none (or it cannot be read). */
export function cmdlineOf(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return null;
  }
}

/** Is `pid` alive and still running the recorded command? */
export function stillRunning(pid: number, cmdline: string): boolean {
  if (pid === process.pid) return false;
  const now = cmdlineOf(pid);
  if (now !== null) return now === cmdline;
  // No /proc (macOS): fall back to "the pid exists".
  if (process.platform === "linux") return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readPids(home: string): StackPids | null {
  try {
    const parsed = PidsSchema.safeParse(JSON.parse(fs.readFileSync(pidsFile(home), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writePids(home: string, pids: StackPids): void {
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(pidsFile(home), JSON.stringify(pids, null, 2) + "\n");
}

export function removePids(home: string): void {
  fs.rmSync(pidsFile(home), { force: true });
}

/** The live stack process recorded in pids.json, if another `npm run dev` is still running. */
export function liveStack(home: string): number | null {
  const pids = readPids(home);
  return pids && stillRunning(pids.stack.pid, pids.stack.cmdline) ? pids.stack.pid : null;
}

/**
 * Ends the children a crashed stack left behind (SIGTERM, then SIGKILL after `graceMs`).
 * Returns the names of the processes it ended.
 */
export async function killLeftovers(home: string, graceMs = 3000): Promise<string[]> {
  const pids = readPids(home);
  if (!pids) return [];
  const alive = pids.children.filter((c) => stillRunning(c.pid, c.cmdline));
  for (const c of alive) signal(c.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive.some((c) => stillRunning(c.pid, c.cmdline)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const c of alive) if (stillRunning(c.pid, c.cmdline)) signal(c.pid, "SIGKILL");
  removePids(home);
  return alive.map((c) => `${c.name} (pid ${c.pid})`);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
