import http from "node:http";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startCustomersServer, type RunningCustomersServer } from "../../../dev/customers-server";
import { launch } from "../../../dev/process-launcher";
import { repoRoot } from "../../../runtime/core/repo-root";

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

async function connect(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "customers-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

const text = (r: unknown): string => ((r as CallToolResult).content[0] as { text: string }).text;

describe("demo customers MCP server", () => {
  let server: RunningCustomersServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startCustomersServer({ port: 0 });
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await server.close();
  });
  const open = async (): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> => {
    const c = await connect(server.url);
    clients.push(c.client);
    return c;
  };

  test("binds loopback and lists exactly the three demo tools", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client } = await open();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["delete_customer", "get_customer", "list_customers"]);
    const del = tools.find((t) => t.name === "delete_customer")!;
    expect(del.inputSchema.required).toEqual(["ids"]);
    expect(del.annotations?.destructiveHint).toBe(true);
  });

  test("records carry Luhn-valid card numbers, SSN-shaped numbers and e-mails (so masking shows)", async () => {
    const { client } = await open();
    const body = JSON.parse(text(await client.callTool({ name: "list_customers", arguments: {} }))) as {
      customers: { id: string; email: string; ssn: string; cardNumber: string }[];
    };
    expect(body.customers.length).toBeGreaterThanOrEqual(5);
    for (const c of body.customers) {
      expect(luhnValid(c.cardNumber.replace(/\s/g, ""))).toBe(true);
      expect(c.ssn).toMatch(/^\d{3}-\d{2}-\d{4}$/);
      expect(c.email).toMatch(/^[^@\s]+@example\.(com|org|net)$/);
    }
  });

  test("get_customer returns one record and reports an unknown id as a tool error", async () => {
    const { client } = await open();
    const one = JSON.parse(text(await client.callTool({ name: "get_customer", arguments: { id: "c-1002" } })));
    expect(one.name).toBe("Grace Hopper");
    const missing = (await client.callTool({ name: "get_customer", arguments: { id: "c-9999" } })) as CallToolResult;
    expect(missing.isError).toBe(true);
  });

  test("delete_customer really deletes, for every session of the process", async () => {
    const a = await open();
    const b = await open();
    const out = JSON.parse(text(await a.client.callTool({ name: "delete_customer", arguments: { ids: ["c-1006"] } })));
    expect(out).toEqual({ deleted: ["c-1006"], notFound: [] });
    const again = (await b.client.callTool({ name: "get_customer", arguments: { id: "c-1006" } })) as CallToolResult;
    expect(again.isError).toBe(true);
    const twice = (await b.client.callTool({
      name: "delete_customer",
      arguments: { ids: ["c-1006"] },
    })) as CallToolResult;
    expect(twice.isError).toBe(true);
    // The argument schema is enforced: an empty list is refused.
    const empty = (await a.client.callTool({ name: "delete_customer", arguments: { ids: [] } })) as CallToolResult;
    expect(empty.isError).toBe(true);
  });

  test("a terminated session is gone (404), and a foreign Host header is refused", async () => {
    const { transport } = await open();
    const id = transport.sessionId!;
    await transport.terminateSession();
    const res = await fetch(server.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": id,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(404);
    // fetch() will not send a foreign Host header; node:http will.
    const rebinding = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        server.url,
        { method: "POST", headers: { host: "evil.example", "content-type": "application/json" } },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.once("error", reject);
      req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
    });
    expect(rebinding).toBe(403);
  });

  test("runs as a process on a free port and says where it listens", async () => {
    const proc = await launch({
      name: "customers",
      command: process.execPath,
      args: [path.join(repoRoot(), "dist", "dev", "customers-server.js")],
      env: { ...process.env, GATEHOUSE_DEMO_CUSTOMERS_PORT: "0" },
      ready: /customers server listening at (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
    });
    try {
      const { client } = await connect(proc.match[1]);
      clients.push(client);
      expect((await client.listTools()).tools).toHaveLength(3);
    } finally {
      await proc.stop();
    }
  });
});
