/**
 * Durable-before-forward, and its one exception (issue 15, docs/decisions/0008). The upstream
 * tools read the audit store (Azurite) at the moment they execute: what is durable then is what
 * would survive a gateway crash at that moment.
 * - a tool not declared read-only: its request record is durable before it runs; two appends.
 * - a tool the policy declares read-only: nothing of the call is durable while it runs (a crash
 *   then leaves no record, and the client has received nothing), and request and response
 *   records become durable together, in one append, before the client gets the result.
 * - a read-only call whose records cannot be written is refused: the result never reaches the client.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { AuditSink } from "../../../runtime/core/audit/audit-sink";
import { readAuditTrail, listChainBlobs } from "../../../runtime/core/audit/audit-reader";
import { AUDIT_CONTAINER } from "../../../runtime/core/audit/blob-layout";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { GatehouseError } from "../../../runtime/core/errors";
import {
  createStatefulMcpHttpApp,
  listenMcpHttpApp,
  type ListeningMcpHttpApp,
} from "../../../dev/mcp/stateful-mcp-http-app";
import { startHarness, type Harness } from "./gateway-harness";

const SECRET = "result-for-";
let h: Harness;
let upstream: ListeningMcpHttpApp;
const seenAtExecution = new Map<string, string[]>();
let lookups = 0;

/** The kinds of the durable records of the call whose (masked) arguments carry `ref`. */
async function durableKinds(ref: string): Promise<string[]> {
  const trail = await readAuditTrail({ blobService: h.blobService });
  const records: AuditRecord[] = [...trail.chains.values()].flat();
  const calls = new Set(
    records
      .filter((r) => (r.action.arguments as { ref?: string } | undefined)?.ref === ref)
      .map((r) => r.correlationId),
  );
  return records.filter((r) => calls.has(r.correlationId)).map((r) => r.kind);
}

async function appendCount(): Promise<number> {
  const container = h.blobService.getContainerClient(AUDIT_CONTAINER);
  let n = 0;
  for (const b of await listChainBlobs(container))
    n += (await container.getAppendBlobClient(b.name).getProperties()).blobCommittedBlockCount ?? 0;
  return n;
}

function shop(): McpServer {
  const server = new McpServer({ name: "shop", version: "1.0.0" });
  const tool = (name: string) =>
    server.registerTool(name, { description: name, inputSchema: { ref: z.string() } }, async ({ ref }) => {
      if (name === "lookup") lookups++;
      seenAtExecution.set(ref, await durableKinds(ref));
      return { content: [{ type: "text", text: `${SECRET}${ref}` }] };
    });
  tool("lookup");
  tool("update");
  return server;
}

beforeAll(async () => {
  upstream = await listenMcpHttpApp(createStatefulMcpHttpApp(shop), 0);
  h = await startHarness(() => ({
    schemaVersion: 1,
    servers: [{ name: "shop", transport: { type: "http", url: upstream.url }, readOnlyTools: ["lookup"] }],
    access: [
      {
        id: "engineers",
        mode: "standing",
        principals: { roles: ["Engineer"] },
        servers: ["shop"],
        tools: { allow: ["*"] },
      },
    ],
    masking: [],
  }));
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await upstream?.close();
});

async function connect(gatewayUrl: string): Promise<Client> {
  const token = await h.token("alice");
  const client = new Client({ name: "read-only-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gatewayUrl}/mcp/shop`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  // The SDK opens its GET stream in the background after initialize (a record of its own): let that settle first.
  await client.listTools();
  return client;
}

test("a tool not declared read-only runs only once its request record is durable (two appends)", async () => {
  const client = await connect(h.gatewayUrl);
  try {
    const before = await appendCount();
    const r = await client.callTool({ name: "update", arguments: { ref: "u-1" } });
    expect(JSON.stringify(r.content)).toContain(`${SECRET}u-1`);
    expect(seenAtExecution.get("u-1")).toEqual(["mcp.request"]);
    expect(await durableKinds("u-1")).toEqual(["mcp.request", "mcp.response"]);
    expect((await appendCount()) - before).toBe(2);
  } finally {
    await client.close();
  }
}, 60_000);

test("a read-only tool runs with nothing durable yet; both records become durable in one append before the result is released", async () => {
  const client = await connect(h.gatewayUrl);
  try {
    const before = await appendCount();
    const r = await client.callTool({ name: "lookup", arguments: { ref: "l-1" } });
    expect(JSON.stringify(r.content)).toContain(`${SECRET}l-1`);
    // A crash while the tool ran would have left no record, and the client had received nothing.
    expect(seenAtExecution.get("l-1")).toEqual([]);
    expect(await durableKinds("l-1")).toEqual(["mcp.request", "mcp.response"]);
    expect((await appendCount()) - before).toBe(1);
  } finally {
    await client.close();
  }
}, 60_000);

test("a read-only call whose records cannot be made durable is refused: the result never reaches the client", async () => {
  const real = h.deps.audit as AuditSink;
  const failing: AuditSink = {
    write: (ev) =>
      ev.kind === "mcp.response" && ev.action?.method === "tools/call"
        ? Promise.reject(new GatehouseError("ERR_AUDIT_UNAVAILABLE", "the audit store is down"))
        : real.write(ev),
    close: () => Promise.resolve(),
  };
  const gw = await h.gateway({ audit: failing });
  const client = await connect(gw.url);
  try {
    const ran = lookups;
    const outcome = await client.callTool({ name: "lookup", arguments: { ref: "l-2" } }).then(
      (r) => JSON.stringify(r),
      (e: unknown) => e,
    );
    expect(lookups).toBe(ran + 1);
    expect(typeof outcome === "string" ? outcome : JSON.stringify(outcome)).not.toContain(`${SECRET}l-2`);
    expect(((outcome as { data?: { code?: string } }).data ?? {}).code).toBe("ERR_AUDIT_UNAVAILABLE");
  } finally {
    await client.close();
  }
}, 60_000);
