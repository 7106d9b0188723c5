/**
 * The benchmarks' upstream: a minimal MCP server on the SDK (stateful Streamable HTTP, like the
 * demo customers server) with a small tool and a tool whose result is N KB of customer-like
 * records full of card numbers, e-mails and SSNs, so masking has real work to do.
 *
 * Usage: node dist/bench/support/bench-upstream-server.js [port]   (default 0 = free port)
 * Prints "bench upstream listening at http://127.0.0.1:<port>/mcp".
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { createStatefulMcpHttpApp, listenMcpHttpApp } from "../../dev/mcp/stateful-mcp-http-app";

const CARDS = ["4111 1111 1111 1111", "5555 5555 5555 4444", "3782 822463 10005", "6011 1111 1111 1117"];

/** About `kb` KB of JSON text, one record per ~160 bytes. */
export function customerExport(kb: number): string {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < kb * 1024; i++) {
    const row = JSON.stringify({
      id: `c-${100000 + i}`,
      name: `Customer ${i}`,
      email: `customer${i}@example.com`,
      ssn: `${String(200 + (i % 600)).padStart(3, "0")}-${String(10 + (i % 89)).padStart(2, "0")}-${String(1000 + (i % 8999)).padStart(4, "0")}`,
      card: CARDS[i % CARDS.length],
      note: "renewal due next quarter",
    });
    rows.push(row);
    size += row.length + 2;
  }
  return `[${rows.join(",\n")}]`;
}

export function createBenchUpstream(): McpServer {
  const server = new McpServer({ name: "gatehouse-bench-upstream", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Echoes its text.", inputSchema: { text: z.string() } },
    async ({ text }) => ({
      content: [{ type: "text", text }],
    }),
  );
  server.registerTool(
    "customer_export",
    { description: "About `kb` KB of customer records.", inputSchema: { kb: z.number().int().min(1).max(10_000) } },
    async ({ kb }) => ({ content: [{ type: "text", text: customerExport(kb) }] }),
  );
  return server;
}

async function main(): Promise<void> {
  const app = createStatefulMcpHttpApp(createBenchUpstream);
  const running = await listenMcpHttpApp(app, Number(process.argv[2] ?? 0));
  process.stdout.write(`bench upstream listening at ${running.url}\n`);
  const stop = (): void => void running.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench upstream failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
