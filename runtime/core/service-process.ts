/**
 * What the gateway and agent processes share around their own wiring: listening and announcing
 * readiness with the one line the dev stack and tests wait for, stopping cleanly on SIGTERM/SIGINT,
 * and reporting a failed start with its error code.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isGatehouseError } from "./errors";
import { onStopSignal, trapStopSignals } from "./stop-signals";
import { logger } from "./telemetry/logger";
import { installRejectionGuard } from "./telemetry/rejection-guard";

export type ServiceName = "gateway" | "agent";

interface Listener {
  listen(port: number, host: string): Server;
}

/** Listens, then prints `gatehouse <name> listening at http://<host>:<port>`. */
export async function listenAndAnnounce(app: Listener, name: ServiceName, host: string, port: number): Promise<Server> {
  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  process.stdout.write(`gatehouse ${name} listening at http://${shownHost}:${bound}\n`);
  return server;
}

/**
 * How long a graceful stop may take before the process exits anyway. Docker and Container Apps
 * send SIGKILL 10 s (the default grace period) after SIGTERM; a cleanup stuck on an unreachable
 * storage account must not turn into a SIGKILL.
 */
export const STOP_DEADLINE_MS = 8000;

/** On SIGTERM or SIGINT: stop accepting, run `cleanup` (flush audit, telemetry), exit 0 (at the latest after STOP_DEADLINE_MS). */
export function stopOnSignals(server: Server, cleanup: () => Promise<void>): void {
  onStopSignal(() => {
    server.close();
    server.closeAllConnections();
    setTimeout(() => {
      logger.error("shutdown did not finish in time; exiting", {
        event: "process.shutdown_deadline",
        deadlineMs: STOP_DEADLINE_MS,
      });
      process.exit(0);
    }, STOP_DEADLINE_MS).unref();
    void cleanup()
      .catch((e) =>
        logger.error("shutdown step failed", {
          event: "process.shutdown_failed",
          error: e instanceof Error ? e.message : String(e),
        }),
      )
      .finally(() => process.exit(0));
  });
}

/** Runs a process's main: unhandled rejections are logged, a failed start exits 1 with its code. */
export function runService(name: ServiceName, main: () => Promise<void>): void {
  trapStopSignals(); // the entrypoint installed it already; started directly, this is the first moment
  installRejectionGuard(name);
  main().catch((e) => {
    process.stderr.write(
      `gatehouse ${name} failed to start: ${isGatehouseError(e) ? `${e.code}: ${e.message}` : ((e as Error).stack ?? String(e))}\n`,
    );
    process.exit(1);
  });
}
