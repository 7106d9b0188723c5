/**
 * Preloaded (`NODE_OPTIONS=--require …`) into the stack's processes by `npm run bench -- gateway
 * --profile <dir>`: Node refuses --cpu-prof in NODE_OPTIONS, and a whole-life profile would mix
 * start-up and the other phases in. So the gateway and the agent run the inspector's sampling
 * profiler between two SIGUSR2s (the bench sends them around a load phase: 1 the small tools/call,
 * 2 the 100 KB result) and write <dir>/<role>.<pid>.<phase>.cpuprofile. Other processes
 * (upstream, Azurite, issuer) are left alone.
 */
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.GATEHOUSE_BENCH_PROFILE_DIR;
const role = /[\\/](gateway|agent)[\\/]server\.js$/.exec(process.argv[1] ?? "")?.[1];
if (dir && role) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 250 });
  let running = false;
  let phase = 0;
  process.on("SIGUSR2", () => {
    if (!running) {
      running = true;
      session.post("Profiler.start");
      return;
    }
    running = false;
    const file = path.join(dir, `${role}.${process.pid}.${++phase}.cpuprofile`);
    session.post("Profiler.stop", (err, res) => {
      if (err) process.stderr.write(`cpu profile not written: ${err.message}\n`);
      else fs.writeFileSync(file, JSON.stringify(res.profile));
    });
  });
}
