/**
 * What the gateway and agent processes share around their own wiring: listening and announcing
 * readiness with the one line the dev stack and tests wait for, stopping cleanly on SIGTERM/SIGINT,
 * and reporting a failed start with its error code.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isGatehouseError } from "./errors";
import { logger } from "./telemetry/logger";

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

/** On SIGTERM or SIGINT: stop accepting, run `cleanup` (flush audit, telemetry), exit 0. */
export function stopOnSignals(server: Server, cleanup: () => Promise<void>): void {
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    void cleanup()
      .catch((e) => logger.error("shutdown step failed", { event: "process.shutdown_failed", error: e instanceof Error ? e.message : String(e) }))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** Runs a process's main: unhandled rejections are logged, a failed start exits 1 with its code. */
export function runService(name: ServiceName, main: () => Promise<void>): void {
  process.on("unhandledRejection", (e) =>
    logger.error("unhandled rejection", { event: `${name}.unhandled_rejection`, error: e instanceof Error ? e.message : String(e) }),
  );
  main().catch((e) => {
    process.stderr.write(`gatehouse ${name} failed to start: ${isGatehouseError(e) ? `${e.code}: ${e.message}` : ((e as Error).stack ?? String(e))}\n`);
    process.exit(1);
  });
}
