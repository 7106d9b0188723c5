/**
 * The demo `customers` MCP server's tools, on the MCP SDK's McpServer. One McpServer per MCP
 * session (the SDK binds a server to one transport); every session shares one CustomerStore.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { CustomerStore } from "./customer-store";

const json = (value: unknown): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value, null, 2) }],
});

const failure = (message: string): CallToolResult => ({ isError: true, content: [{ type: "text", text: message }] });

export function createCustomersMcpServer(store: CustomerStore): McpServer {
  const server = new McpServer({ name: "gatehouse-demo-customers", version: "1.0.0" });

  server.registerTool(
    "list_customers",
    {
      title: "List customers",
      description: "Every customer record, with contact and payment details.",
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async () => json({ customers: store.list() }),
  );

  server.registerTool(
    "get_customer",
    {
      title: "Get a customer",
      description: "One customer record by id (for example c-1001).",
      inputSchema: { id: z.string().min(1).describe("customer id, e.g. c-1001") },
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => {
      const record = store.get(id);
      return record ? json(record) : failure(`no customer with id ${id}`);
    },
  );

  server.registerTool(
    "delete_customer",
    {
      title: "Delete customers",
      description:
        "Deletes customer records by id. Irreversible. The organisation's policy sends every call to an approver and blocks deleting more than one record per call.",
      inputSchema: { ids: z.array(z.string().min(1)).min(1).describe("ids of the customers to delete") },
      annotations: { destructiveHint: true, idempotentHint: true },
    },
    async ({ ids }) => {
      const outcome = store.delete(ids);
      if (outcome.deleted.length === 0) return failure(`no customer with id ${outcome.notFound.join(", ")}`);
      return json(outcome);
    },
  );

  return server;
}
