/**
 * The demo `customers` MCP server of the local stack and the example policies.
 *
 * Usage: node dist/dev/customers-server.js
 *   GATEHOUSE_DEMO_CUSTOMERS_PORT  port on 127.0.0.1 (default 8091; 0 = any free port)
 * Prints "customers server listening at http://127.0.0.1:<port>/mcp" when ready.
 */
import { z } from "zod";
import { CustomerStore } from "./customers/customer-store";
import { createCustomersMcpServer } from "./customers/customers-mcp-server";
import { createStatefulMcpHttpApp, listenMcpHttpApp, type StatefulMcpHttpApp } from "./mcp/stateful-mcp-http-app";

export const DEFAULT_CUSTOMERS_PORT = 8091;

export interface RunningCustomersServer {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  readonly port: number;
  readonly store: CustomerStore;
  readonly app: StatefulMcpHttpApp;
  close(): Promise<void>;
}

/** Starts the server in this process (tests, benchmarks); the dev stack runs it as a child process. */
export async function startCustomersServer(opts: { port?: number } = {}): Promise<RunningCustomersServer> {
  const store = new CustomerStore();
  const app = createStatefulMcpHttpApp(() => createCustomersMcpServer(store));
  const listening = await listenMcpHttpApp(app, opts.port ?? DEFAULT_CUSTOMERS_PORT);
  return { ...listening, store, app };
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
