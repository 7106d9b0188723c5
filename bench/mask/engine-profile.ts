/**
 * `npm run bench -- mask --profile <dir>`: the inspector's sampling profiler around the engine
 * alone (the 1 MB message masked `runs` times, after the throughput runs warmed it up), written
 * to <dir>/mask-engine.<pid>.cpuprofile, and its top self-time entries printed: the table
 * docs/benchmarks.md keeps before and after each change to the engine.
 */
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";
import { topSelfTime } from "../support/cpu-profile";
import { log } from "../support/bench-report";

export function profileEngine(dir: string, runs: number, fn: () => unknown): void {
  fs.mkdirSync(dir, { recursive: true });
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 250 });
  session.post("Profiler.start");
  for (let k = 0; k < runs; k++) fn();
  session.post("Profiler.stop", (err, res) => {
    session.disconnect();
    if (err) {
      log(`cpu profile not written: ${err.message}`);
      return;
    }
    const file = path.join(dir, `mask-engine.${process.pid}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(res.profile));
    const { entries } = topSelfTime(file, 15);
    log(
      `engine profile (${runs} runs, ${file}), top self time:\n${entries
        .map((e) => `  ${(100 * e.share).toFixed(1).padStart(5)}%  ${e.fn}  ${e.where}`)
        .join("\n")}`,
    );
  });
}
