/**
 * The approver sees what the tool is: the gateway remembers the (masked, filtered) tools/list it
 * relays, and an approval request made through the composed gateway (wireApprovals, the process's
 * own wiring) carries that tool's description and annotations. A tool never listed carries none.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { ApprovalStore } from "../../../runtime/core/approvals/approval-store";
import { startHarness, type Harness } from "./gateway-harness";

const bundleFor = ({ everythingUrl }: { everythingUrl: string }) => ({
  schemaVersion: 1,
  servers: [{ name: "everything", transport: { type: "http", url: everythingUrl } }],
  access: [
    {
      id: "engineers",
      mode: "standing",
      principals: { roles: ["Engineer"] },
      servers: ["everything"],
      tools: { allow: ["*"] },
    },
  ],
  approvals: [
    { id: "echo-needs-approval", servers: ["everything"], tools: ["echo"], approvers: { roles: ["Approver"] } },
  ],
});

let h: Harness;
let url: string;
let store: ApprovalStore;
beforeAll(async () => {
  h = await startHarness(bundleFor);
  store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
  // approvals: undefined (the harness defaults to none): the coordinator and tool catalog wireApprovals builds, as in the process.
  url = await h.extraGateway({ approvals: undefined });
}, 90_000);
afterAll(() => h?.stop());

async function heldEcho(listFirst: boolean): Promise<string> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp/everything`), {
    requestInit: { headers: { Authorization: `Bearer ${await h.token("alice")}` } },
  });
  const client = new Client({ name: "alice", version: "1.0.0" });
  await client.connect(transport);
  // The held call is abandoned as soon as the gateway names its approval (the record stays pending).
  const stop = new AbortController();
  let approvalId: string | null = null;
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    approvalId ??= (n.params.data as { approvalId?: string }).approvalId ?? null;
    if (approvalId) stop.abort();
  });
  try {
    if (listFirst) await client.listTools();
    const result = await client
      .callTool({ name: "echo", arguments: { message: listFirst ? "listed" : "unlisted" } }, undefined, {
        signal: stop.signal,
      })
      .catch((e: Error) => e);
    if (!approvalId)
      throw new Error(`not held for approval: ${JSON.stringify(result instanceof Error ? result.message : result)}`);
  } finally {
    await client.close();
  }
  if (!approvalId) throw new Error("the call was not held for approval");
  return approvalId;
}

test("a tool seen in tools/list: its description and annotations are on the approval request", async () => {
  const stored = await store.get(await heldEcho(true));
  expect(stored?.record.toolInfo?.description).toMatch(/\S/);
  expect(stored?.record.toolInfo).toMatchObject({ destructive: false });
  expect(stored?.record.irreversible).toBe(false);
});

test("a tool this gateway never listed: the request says nothing about it", async () => {
  // A fresh gateway has an empty catalog.
  url = await h.extraGateway({ approvals: undefined });
  const stored = await store.get(await heldEcho(false));
  expect(stored?.record.toolInfo ?? null).toBeNull();
});
