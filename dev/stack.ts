/**
 * `npm run dev`: the whole product on 127.0.0.1 with embedded defaults (see start-local-stack.ts).
 * Records what it started in .gatehouse/pids.json (so a start after a crash ends the leftovers)
 * and its endpoints in .gatehouse/local-stack.json (read by the CLI); prints the walkthrough, then
 * "gatehouse dev stack ready". Ctrl-C (SIGINT) or SIGTERM stops everything it started.
 *
 * Environment: GATEHOUSE_HOME (state folder, default <repo>/.gatehouse), GATEHOUSE_PORT (gateway,
 * default 8080; 0 = every component on a free port), GATEHOUSE_DEV_{AGENT,ISSUER}_PORT,
 * GATEHOUSE_DEMO_CUSTOMERS_PORT, GATEHOUSE_DEV_AZURITE_{BLOB,TABLE}_PORT, GATEHOUSE_DEV_QUIET=1
 * (do not echo the components' logs).
 */
import path from "node:path";
import { repoRoot } from "../runtime/core/repo-root";
import { gatehouseHome, removeLocalStack, writeLocalStack } from "../runtime/core/local-stack-file";
import { devBundle } from "./stack/dev-bundle";
import { busyPorts } from "./stack/port-probe";
import { cmdlineOf, killLeftovers, liveStack, removePids, writePids, type StackPids } from "./stack/stack-pids";
import { PORT_VARIABLES, stackPortsFromEnv, type StackPorts } from "./stack/stack-ports";
import { startLocalStack, type RunningLocalStack } from "./stack/start-local-stack";
import { readyBanner } from "./stack/walkthrough-text";

const say = (line: string): void => void process.stdout.write(line + "\n");

async function main(): Promise<number> {
  const home = gatehouseHome();
  const ports = stackPortsFromEnv();

  const other = liveStack(home);
  if (other) {
    say(
      `gatehouse dev: a local stack is already running from ${home} (pid ${other}); stop it with Ctrl-C in its terminal or \`kill ${other}\`, or set GATEHOUSE_HOME to run a second one`,
    );
    return 1;
  }
  const ended = await killLeftovers(home);
  if (ended.length) say(`gatehouse dev: ended processes left by a previous run: ${ended.join(", ")}`);
  const busy = await busyPorts(
    Object.fromEntries(
      Object.entries(ports).map(([k, port]) => [
        k,
        { port: port as number, variable: PORT_VARIABLES[k as keyof StackPorts] },
      ]),
    ),
  );
  if (busy.length) {
    for (const b of busy) say(`gatehouse dev: ${b}`);
    return 1;
  }

  const self = { pid: process.pid, cmdline: cmdlineOf(process.pid) ?? process.argv.join(" ") };
  writePids(home, { stack: self, children: [] });
  let stack: RunningLocalStack | null = null;
  let stopping = false;
  const shutdown = async (code: number, why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`gatehouse dev: ${why}; stopping everything it started`);
    await stack?.stop();
    removeLocalStack(home);
    removePids(home);
    say("gatehouse dev: stopped");
    process.exit(code);
  };
  // Installed before anything starts, so Ctrl-C during start-up also cleans up.
  process.on("SIGINT", () => void shutdown(0, "interrupted"));
  process.on("SIGTERM", () => void shutdown(0, "terminated"));
  // The children run in their own process groups; a closed terminal must not orphan them.
  process.on("SIGHUP", () => void shutdown(0, "the terminal went away"));

  const startedAt = Date.now();
  try {
    stack = await startLocalStack({
      home,
      ports,
      bundle: devBundle,
      echo: process.env.GATEHOUSE_DEV_QUIET !== "1",
      onChild: (children) => {
        const pids: StackPids = {
          stack: self,
          children: children.map((c) => ({
            name: c.name,
            pid: c.process.child.pid!,
            cmdline: cmdlineOf(c.process.child.pid!) ?? "",
          })),
        };
        writePids(home, pids);
      },
    });
  } catch (e) {
    say(`gatehouse dev: the stack did not start: ${e instanceof Error ? e.message : String(e)}`);
    removePids(home);
    return 1;
  }
  if (stopping) return 0;
  writeLocalStack(stack.info, home);
  for (const c of stack.children) {
    c.process.child.once(
      "exit",
      (code, signal) => void shutdown(1, `${c.name} exited unexpectedly (code ${code}, signal ${signal})`),
    );
  }
  say(readyBanner(stack.info, home === path.join(repoRoot(), ".gatehouse")));
  say(`gatehouse dev stack ready (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  return -1; // keep running
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`gatehouse dev: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
