/**
 * The real stack for the elicitation tests: the gateway harness (Azurite, the local issuer, the
 * agent), the demo `customers` server over Streamable HTTP, a hostile upstream that records every
 * message it receives, and two gateway replicas sharing the Azurite tables and the session key,
 * each with an ApprovalCoordinator on the shared approvals table. Everything is stopped by stop().
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { startCustomersServer, type RunningCustomersServer } from "../../../../dev/customers-server";
import { ApprovalCoordinator } from "../../../../runtime/core/approvals/approval-coordinator";
import { ApprovalStore } from "../../../../runtime/core/approvals/approval-store";
import { startHarness, type Harness } from "../../gateway/gateway-harness";
import {
  jsonAnswer,
  openSse,
  startHostileUpstream,
  type HostileUpstream,
} from "../../../security/support/hostile-upstream";

export interface ElicitationStack {
  readonly h: Harness;
  readonly customers: RunningCustomersServer;
  readonly up: HostileUpstream;
  /** Two replicas over the same tables, audit chain and session key. */
  readonly urls: readonly [string, string];
  readonly store: ApprovalStore;
  stop(): Promise<void>;
}

export async function startElicitationStack(): Promise<ElicitationStack> {
  const customers = await startCustomersServer({ port: 0 });
  // Tool `ask` asks the client something itself (an upstream-originated elicitation); others just answer.
  const up: HostileUpstream = await startHostileUpstream(async (msg, res) => {
    if ((msg.params as { name?: string }).name !== "ask")
      return jsonAnswer(res, { jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: "done" }] } });
    const serverId = `srv-ask-${String(msg.id)}`;
    const send = openSse(res);
    const ask = { message: "upstream asks", requestedSchema: { type: "object", properties: {} } };
    send(
      `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: serverId, method: "elicitation/create", params: ask })}`,
    );
    const answer = await up.next((j) => j.id === serverId && ("result" in j || "error" in j));
    const text = JSON.stringify(answer.json!.result ?? null);
    send(
      `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text }] } })}`,
    );
    res.end();
  });
  const h = await startHarness(() => ({
    schemaVersion: 1,
    servers: [
      { name: "customers", transport: { type: "http", url: customers.url } },
      { name: "plain", transport: { type: "http", url: up.url } },
    ],
    access: [
      {
        id: "engineers",
        mode: "standing",
        principals: { roles: ["Engineer"] },
        servers: ["customers", "plain"],
        tools: { allow: ["*"] },
      },
    ],
    masking: [
      { id: "emails", detectors: ["email"] },
      { id: "customer-ids", fieldNames: ["id"] },
    ],
    approvals: [
      {
        id: "delete-needs-a-reason",
        servers: ["customers"],
        tools: ["delete_customer"],
        approvers: { roles: ["Approver"] },
        requireReason: true,
      },
      {
        id: "lookup-confirmed-and-approved",
        servers: ["customers"],
        tools: ["get_customer"],
        approvers: { roles: ["Approver"] },
        confirm: "requester",
      },
      {
        id: "plain-confirmed-by-requester",
        servers: ["plain"],
        tools: ["*"],
        approvers: { roles: [], groups: [] },
        confirm: "requester-only",
      },
    ],
  }));
  const store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
  const replica = () =>
    h.extraGateway({
      approvals: new ApprovalCoordinator({
        store,
        audit: { sink: h.deps.audit, policyVersion: () => h.bundle.version },
        publicUrl: h.gatewayUrl,
        pollIntervalMs: 250,
        maxWaitMs: 60_000,
      }),
    });
  const urls = [await replica(), await replica()] as const;
  return {
    h,
    customers,
    up,
    urls,
    store,
    stop: async () => {
      await h.stop();
      await Promise.all([customers.close(), up.stop()]);
    },
  };
}

export type Answerer = (
  message: string,
  requestedSchema: unknown,
  requestId: string,
) => ElicitResult | Promise<ElicitResult>;

/**
 * alice's MCP client through gateway `url`: declares `elicitation` when `answer` is given and
 * answers with it. `answerUrl`: where its answers (JSON-RPC responses) are POSTed instead, to
 * stage an answer landing on another replica.
 */
export async function aliceClient(
  s: ElicitationStack,
  url: string,
  server: string,
  answer: Answerer | null,
  answerUrl?: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport; answersPosted: string[] }> {
  const token = await s.h.token("alice");
  const answersPosted: string[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp/${server}`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: async (input, init) => {
      const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : null;
      const isAnswer = body !== null && !("method" in body) && ("result" in body || "error" in body);
      if (!isAnswer || !answerUrl) return fetch(input, init);
      answersPosted.push(answerUrl);
      return fetch(`${answerUrl}/mcp/${server}`, init);
    },
  });
  const client = new Client(
    { name: "alice-ide", version: "1" },
    answer ? { capabilities: { elicitation: {} } } : { capabilities: {} },
  );
  if (answer)
    client.setRequestHandler(ElicitRequestSchema, async (req, extra) => {
      const p = req.params as { message: string; requestedSchema?: unknown };
      return answer(p.message, p.requestedSchema, String(extra.requestId));
    });
  await client.connect(transport);
  return { client, transport, answersPosted };
}
