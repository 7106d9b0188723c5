/**
 * The demo `customers` MCP server of the local stack and the example policies.
 *
 * Usage: node dist/dev/customers-server.js
 *   GATEHOUSE_DEMO_CUSTOMERS_PORT  port on 127.0.0.1 (default 8091; 0 = any free port)
 * Prints "customers server listening at http://127.0.0.1:<port>/mcp" when ready.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { createCustomersHttpApp, type CustomersHttpApp } from "./customers/customers-http-app";

export const DEFAULT_CUSTOMERS_PORT = 8091;

export interface RunningCustomersServer {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  readonly port: number;
  readonly app: CustomersHttpApp;
  close(): Promise<void>;
}

/** Starts the server in this process (tests, benchmarks); the dev stack runs it as a child process. */
export async function startCustomersServer(opts: { port?: number } = {}): Promise<RunningCustomersServer> {
  const app = createCustomersHttpApp();
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.app.listen(opts.port ?? DEFAULT_CUSTOMERS_PORT, "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    app,
    close: async () => {
      await app.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const PortSchema = z.coerce.number().int().min(0).max(65535);

async function main(): Promise<void> {
  const parsed = PortSchema.safeParse(process.env.GATEHOUSE_DEMO_CUSTOMERS_PORT ?? DEFAULT_CUSTOMERS_PORT);
  if (!parsed.success) {
    process.stderr.write("GATEHOUSE_DEMO_CUSTOMERS_PORT must be a port number (0-65535; 0 = any free port)\n");
    process.exit(2);
  }
  const running = await startCustomersServer({ port: parsed.data });
  process.stdout.write(`customers server listening at ${running.url}\n`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`customers server failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
