/**
 * The container engine and Compose command test/compose/compose-up.test.ts drives, found on this
 * machine, and what the engine says a Compose project publishes on the host.
 *
 * The end-to-end test builds two images (about 10 minutes on 2 cores), so it runs only when asked
 * (GATEHOUSE_COMPOSE_E2E=1) and an engine with Compose is present: `npm test` never builds an image.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";

export interface ComposeCli {
  /** The engine (`docker` or `podman`): inspects the project's containers. */
  readonly engine: string;
  /** The Compose command line before its subcommand (`docker compose`, `podman-compose`). */
  readonly compose: readonly string[];
  /** Extra arguments of the build: see findComposeCli. */
  readonly buildArgs: readonly string[];
}

const ok = (cmd: string, args: string[]): boolean =>
  spawnSync(cmd, args, { stdio: "ignore", timeout: 30_000 }).status === 0;

/** The Compose command to use, or why the test skips. */
export function findComposeCli(env: NodeJS.ProcessEnv = process.env): ComposeCli | { skip: string } {
  if (env.GATEHOUSE_COMPOSE_E2E !== "1")
    return { skip: "set GATEHOUSE_COMPOSE_E2E=1 to run it (it builds both images: ~10 minutes on 2 cores)" };
  if (ok("docker", ["compose", "version"]) && ok("docker", ["info"]))
    return { engine: "docker", compose: ["docker", "compose"], buildArgs: [] };
  if (ok("podman-compose", ["version"]) && ok("podman", ["info"]))
    // podman-compose 1.0.x passes no build network; the build's `npm ci` then needs the host's network
    // where podman's bridge has no way out (as where this was verified). The host network works everywhere.
    return {
      engine: "podman",
      compose: ["podman-compose"],
      buildArgs: ["--podman-build-args=--network host"],
    };
  return {
    skip: "GATEHOUSE_COMPOSE_E2E=1 but no container engine with compose here (docker compose + a running engine, or podman-compose + podman)",
  };
}

/** Runs `<compose> -p <project> <args>` at `cwd` (the repository root). */
export function runCompose(
  cli: ComposeCli,
  project: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; global?: string[] },
): SpawnSyncReturns<string> {
  const [cmd, ...pre] = cli.compose;
  return spawnSync(cmd, [...pre, ...(opts.global ?? []), "-p", project, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    encoding: "utf8",
    timeout: opts.timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
}

interface InspectedContainer {
  Id: string;
  State: { Running: boolean; Health?: { Status: string } };
  Config: { Labels: Record<string, string> | null; Healthcheck?: { Test?: string[] } | null };
  HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

function inspectProject(cli: ComposeCli, project: string): InspectedContainer[] {
  const ids = spawnSync(cli.engine, ["ps", "-aq", "--filter", `label=com.docker.compose.project=${project}`], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (ids.status !== 0) throw new Error(`${cli.engine} ps failed: ${ids.stderr}`);
  const list = ids.stdout.split(/\s+/).filter(Boolean);
  if (list.length === 0) throw new Error(`no containers of project ${project}`);
  const inspected = spawnSync(cli.engine, ["inspect", ...list], { encoding: "utf8", timeout: 60_000 });
  if (inspected.status !== 0) throw new Error(`${cli.engine} inspect failed: ${inspected.stderr}`);
  return JSON.parse(inspected.stdout) as InspectedContainer[];
}

/** Per service of the project, the host bindings its containers publish (`hostIp:hostPort->containerPort`). */
export function publishedPorts(cli: ComposeCli, project: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of inspectProject(cli, project)) {
    const service = c.Config.Labels?.["com.docker.compose.service"] ?? "?";
    const bindings = Object.entries(c.HostConfig.PortBindings ?? {}).flatMap(([port, hosts]) =>
      (hosts ?? []).map((h) => `${h.HostIp || "0.0.0.0"}:${h.HostPort}->${port}`),
    );
    out[service] = [...(out[service] ?? []), ...bindings].sort();
  }
  return out;
}

/**
 * The services still running whose health check does not pass yet (empty: the stack is up).
 * podman-compose 1.0.x does not wait for health before starting dependants, and podman without
 * systemd never runs the checks on its own: run each check here (`podman healthcheck run`); Docker
 * runs them itself and reports the status.
 */
export function unhealthyServices(cli: ComposeCli, project: string): string[] {
  return inspectProject(cli, project)
    .filter((c) => c.State.Running && (c.Config.Healthcheck?.Test?.length ?? 0) > 0)
    .filter((c) =>
      cli.engine === "podman"
        ? spawnSync("podman", ["healthcheck", "run", c.Id], { stdio: "ignore", timeout: 60_000 }).status !== 0
        : c.State.Health?.Status !== "healthy",
    )
    .map((c) => c.Config.Labels?.["com.docker.compose.service"] ?? c.Id);
}
