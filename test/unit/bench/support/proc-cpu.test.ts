import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuMs, cpuPerCall } from "../../../../bench/support/proc-cpu";
import { componentShares, profileOf, topSelfTime } from "../../../../bench/support/cpu-profile";

describe("bench CPU accounting", () => {
  it("reads a process's CPU time from /proc, growing as it works", () => {
    const before = cpuMs(process.pid);
    let x = 0;
    const until = process.cpuUsage().user + 50_000;
    while (process.cpuUsage().user < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(cpuMs(process.pid)).toBeGreaterThan(before);
  });

  it("divides each process's CPU time by the calls", () => {
    expect(cpuPerCall({ gateway: 100, agent: 50 }, { gateway: 400, agent: 80 }, 100)).toEqual({
      gateway: 3,
      agent: 0.3,
    });
    expect(cpuPerCall({ gateway: 1 }, { gateway: 2 }, 0).gateway).toBeNaN();
  });

  it("reduces a profile to its top self-time entries, idle apart", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-prof-"));
    const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 9 });
    fs.writeFileSync(
      path.join(dir, "gateway.4242.1.cpuprofile"),
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame("(idle)") },
          { id: 2, callFrame: frame("sealEvent", "file:///x/dist/runtime/core/audit/chain-hash.js") },
          { id: 3, callFrame: frame("serialize", "file:///x/node_modules/json-canonicalize/dist/index.js") },
        ],
        samples: [1, 1, 2, 2, 2, 3],
      }),
    );
    try {
      const file = profileOf(dir, 4242);
      expect(file).not.toBeNull();
      expect(profileOf(dir, 1)).toBeNull();
      expect(profileOf(dir, 4242, 2)).toBeNull(); // the 100 KB phase was not profiled
      const { idle, entries } = topSelfTime(file!);
      expect(idle).toBeCloseTo(2 / 6);
      expect(entries).toEqual([
        { fn: "sealEvent", where: "dist/runtime/core/audit/chain-hash.js:10", share: 0.75 },
        { fn: "serialize", where: "json-canonicalize/dist/index.js:10", share: 0.25 },
      ]);
      expect(componentShares(file!)).toEqual([
        { name: "audit sink, chain, recorder (ours)", share: 0.75 },
        { name: "json-canonicalize", share: 0.25 },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
