/**
 * A payments MCP server that coerces its arguments the way many real upstreams do
 * (`z.coerce.number()`: "5e3", " 5000", [5000] and "0x1388" all become 5000) and records what it
 * executed, so a test can show that a type-confused call never reached it.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import {
  createStatefulMcpHttpApp,
  listenMcpHttpApp,
  type ListeningMcpHttpApp,
} from "../../../dev/mcp/stateful-mcp-http-app";

export interface PaymentsServer extends ListeningMcpHttpApp {
  /** Every call the server executed: tool name and the amount it coerced. */
  readonly executed: { tool: string; amount: number }[];
}

export async function startPaymentsServer(): Promise<PaymentsServer> {
  const executed: { tool: string; amount: number }[] = [];
  const app = createStatefulMcpHttpApp(() => {
    const server = new McpServer({ name: "coercing-payments", version: "1.0.0" });
    for (const tool of ["refund", "transfer", "pay"]) {
      server.registerTool(tool, { inputSchema: { amount: z.coerce.number() } }, async ({ amount }) => {
        executed.push({ tool, amount });
        return { content: [{ type: "text", text: `${tool} of ${amount} executed` }] };
      });
    }
    return server;
  });
  const listening = await listenMcpHttpApp(app, 0);
  return { ...listening, executed };
}
