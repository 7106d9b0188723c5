/**
 * The demo `customers` MCP server of the local stack and the example policies.
 *
 * Usage: node dist/dev/customers-server.js
 *   GATEHOUSE_DEMO_CUSTOMERS_PORT      port on 127.0.0.1 (default 8091; 0 = any free port)
 *   GATEHOUSE_DEMO_CUSTOMERS_HOSTNAME  the name other containers reach it by (compose.yaml: customers);
 *                                      when set it listens on every interface and accepts only that
 *                                      name and loopback in the Host header
 *   GATEHOUSE_DEMO_CUSTOMERS_TLS_CERT, GATEHOUSE_DEMO_CUSTOMERS_TLS_KEY
 *                                      PEM files: serve https (compose.yaml: the declared policies
 *                                      take plain http only from a loopback server)
 * Prints "customers server listening at http://127.0.0.1:<port>/mcp" when ready.
 */
import fs from "node:fs";
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
export async function startCustomersServer(
  opts: { port?: number; hostname?: string; tls?: { cert: Buffer; key: Buffer } } = {},
): Promise<RunningCustomersServer> {
  const store = new CustomerStore();
  const allowedHosts = opts.hostname ? [opts.hostname, "localhost", "127.0.0.1"] : undefined;
  const app = createStatefulMcpHttpApp(() => createCustomersMcpServer(store), { allowedHosts });
  const listening = await listenMcpHttpApp(
    app,
    opts.port ?? DEFAULT_CUSTOMERS_PORT,
    opts.hostname ? "0.0.0.0" : "127.0.0.1",
    opts.tls,
  );
  return { ...listening, store, app };
}

const PortSchema = z.coerce.number().int().min(0).max(65535);
const HostnameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i)
  .optional();

async function main(): Promise<void> {
  const parsed = PortSchema.safeParse(process.env.GATEHOUSE_DEMO_CUSTOMERS_PORT ?? DEFAULT_CUSTOMERS_PORT);
  if (!parsed.success) {
    process.stderr.write("GATEHOUSE_DEMO_CUSTOMERS_PORT must be a port number (0-65535; 0 = any free port)\n");
    process.exit(2);
  }
  const hostname = HostnameSchema.safeParse(process.env.GATEHOUSE_DEMO_CUSTOMERS_HOSTNAME || undefined);
  if (!hostname.success) {
    process.stderr.write("GATEHOUSE_DEMO_CUSTOMERS_HOSTNAME must be a host name (letters, digits, '.', '-')\n");
    process.exit(2);
  }
  const { GATEHOUSE_DEMO_CUSTOMERS_TLS_CERT: cert, GATEHOUSE_DEMO_CUSTOMERS_TLS_KEY: key } = process.env;
  if (!cert !== !key) {
    process.stderr.write(
      "set both GATEHOUSE_DEMO_CUSTOMERS_TLS_CERT and GATEHOUSE_DEMO_CUSTOMERS_TLS_KEY, or neither\n",
    );
    process.exit(2);
  }
  const tls = cert && key ? { cert: fs.readFileSync(cert), key: fs.readFileSync(key) } : undefined;
  const running = await startCustomersServer({ port: parsed.data, hostname: hostname.data, tls });
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
