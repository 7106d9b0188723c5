import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cmdlineOf, killLeftovers, liveStack, readPids, writePids } from "../../../../dev/stack/stack-pids";

const sleeper = (): ChildProcess => spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
const exited = (c: ChildProcess): Promise<void> =>
  new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));

describe("stack pid file (start after a crash)", () => {
  let home: string;
  const spawned: ChildProcess[] = [];
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gh-pids-"));
  });
  afterEach(async () => {
    for (const c of spawned.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      await exited(c);
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("ends the recorded children that still run the recorded command, and forgets the file", async () => {
    const child = sleeper();
    spawned.push(child);
    await new Promise((r) => setTimeout(r, 200));
    writePids(home, {
      stack: { pid: 999_999, cmdline: "gone" },
      children: [{ name: "gateway", pid: child.pid!, cmdline: cmdlineOf(child.pid!)! }],
    });
    const ended = await killLeftovers(home);
    expect(ended).toEqual([`gateway (pid ${child.pid})`]);
    await exited(child);
    expect(child.signalCode).toBe("SIGTERM");
    expect(readPids(home)).toBeNull();
  });

  test("never signals a pid that now runs something else (recycled pid)", async () => {
    const child = sleeper();
    spawned.push(child);
    await new Promise((r) => setTimeout(r, 200));
    writePids(home, {
      stack: { pid: 999_999, cmdline: "gone" },
      children: [{ name: "agent", pid: child.pid!, cmdline: "node dist/runtime/agent/server.js" }],
    });
    expect(await killLeftovers(home)).toEqual([]);
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  });

  test("reports a live stack only when its recorded command still runs", () => {
    writePids(home, { stack: { pid: process.ppid, cmdline: cmdlineOf(process.ppid)! }, children: [] });
    expect(liveStack(home)).toBe(process.ppid);
    writePids(home, { stack: { pid: process.ppid, cmdline: "node dist/dev/stack.js" }, children: [] });
    expect(liveStack(home)).toBeNull();
  });
});
