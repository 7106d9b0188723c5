/**
 * The gateway asks the requester itself, through MCP elicitation (issue 19 item 1, issue 20 item 3):
 * a reason an approval rule requires, and the requester's own confirmation. Through the real
 * interfaces: the MCP SDK client declaring `elicitation`, the gateway with the agent and the demo
 * customers server, the approvals REST API, the audit trail read back from Azurite.
 */
import { LoggingMessageNotificationSchema, type McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { DEMO } from "../../../dev/local-issuer-launcher";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { aliceClient, startElicitationStack, type Answerer, type ElicitationStack } from "./support/elicitation-stack";

jest.setTimeout(120_000);

describe("requester input through MCP elicitation", () => {
  let s: ElicitationStack;
  const clients: Client[] = [];
  beforeAll(async () => {
    s = await startElicitationStack();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s?.stop();
  });

  async function trail(): Promise<AuditRecord[]> {
    return [...(await readAuditTrail({ blobService: s.h.blobService })).chains.values()].flat();
  }
  async function api(method: string, p: string, user: string, body?: unknown) {
    const res = await fetch(s.urls[0] + p, {
      method,
      headers: {
        authorization: `Bearer ${await s.h.token(user)}`,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  }
  /** Calls a tool; `onPending` runs when the gateway says the call is held (with the approval id). */
  async function call(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    answer: Answerer | null,
    onPending: (approvalId: string) => Promise<unknown> = async () => undefined,
    opts: { via?: string; answerUrl?: string } = {},
  ) {
    const { client, answersPosted } = await aliceClient(s, opts.via ?? s.urls[0], server, answer, opts.answerUrl);
    clients.push(client);
    let pending: Promise<unknown> = Promise.resolve();
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      const { approvalId, status } = n.params.data as { approvalId?: string; status?: string };
      if (approvalId && status === "pending") pending = onPending(approvalId);
    });
    const result = await client.callTool({ name: tool, arguments: args }).then(
      (r) => ({ ok: true as const, text: JSON.stringify(r.content), code: null }),
      (e: McpError) => ({
        ok: false as const,
        text: e.message,
        code: (e.data as { code?: string }).code ?? null,
        data: e.data,
      }),
    );
    await pending;
    return { ...result, answersPosted };
  }

  test("a required reason is asked through elicitation; the call is held with it, masked, visible through the approvals API", async () => {
    const asked: { message: string; schema: any }[] = [];
    let approvalId = "";
    const r = await call(
      "customers",
      "delete_customer",
      { ids: ["c-1004"] },
      async (message, schema) => {
        asked.push({ message, schema });
        // The question waits in the approvals table: listing approvals meanwhile is unaffected.
        const listed = await api("GET", "/api/approvals?status=all", "bob");
        expect(listed.status).toBe(200);
        expect(Array.isArray(listed.json.approvals)).toBe(true);
        return { action: "accept", content: { reason: "ticket INC-9: mallory@example.com asked to be forgotten" } };
      },
      async (id) => {
        approvalId = id;
        const seen = await api("GET", `/api/approvals/${id}`, "bob");
        expect(seen.json.requesterReason).toContain("ticket INC-9");
        expect(seen.json.requesterReason).not.toContain("mallory@example.com");
        expect((await api("POST", `/api/approvals/${id}/approve`, "bob", {})).status).toBe(200);
      },
    );
    expect(asked).toHaveLength(1);
    expect(asked[0].message).toContain("delete-needs-a-reason");
    expect(asked[0].schema).toMatchObject({
      type: "object",
      properties: { reason: { type: "string", minLength: 3 } },
      required: ["reason"],
    });
    expect(r.ok).toBe(true);
    expect(approvalId).not.toBe("");
    // The answer never left the gateway as plain text: the audit trail has it masked only.
    const records = await trail();
    expect(JSON.stringify(records)).not.toContain("mallory@example.com");
    expect(records.some((x) => x.action.method === "elicitation/create (client answer)")).toBe(true);
  });

  test("a declined reason refuses the call with ERR_APPROVAL_REASON_REQUIRED naming the rule, audited, no approval record", async () => {
    const before = (await s.store.list({})).length;
    const r = await call("customers", "delete_customer", { ids: ["c-1003"] }, () => ({ action: "decline" }));
    expect(r.code).toBe("ERR_APPROVAL_REASON_REQUIRED");
    expect(r.text).toContain("delete-needs-a-reason");
    expect((await s.store.list({})).length).toBe(before);
    const refused = (await trail()).filter(
      (x) => x.kind === "mcp.request" && x.decision.code === "ERR_APPROVAL_REASON_REQUIRED",
    );
    expect(refused.at(-1)?.decision).toMatchObject({ outcome: "denied", ruleId: "delete-needs-a-reason" });
  });

  test("a client without the elicitation capability gets today's clear errors, naming the rule and the ways out", async () => {
    const reason = await call("customers", "delete_customer", { ids: ["c-1002"] }, null);
    expect(reason.code).toBe("ERR_APPROVAL_REASON_REQUIRED");
    expect(reason.text).toContain("delete-needs-a-reason");
    expect(reason.text).toContain('_meta["gatehouse/reason"]');
    expect(reason.text).toContain("elicitation");
    const confirm = await call("customers", "get_customer", { id: "c-1001" }, null);
    expect(confirm.code).toBe("ERR_REQUESTER_CONFIRMATION_REQUIRED");
    expect(confirm.text).toContain("lookup-confirmed-and-approved");
  });

  test("a requester confirmation is asked with masked arguments only, recorded, and never counts as an approval", async () => {
    const messages: string[] = [];
    const r = await call(
      "customers",
      "get_customer",
      { id: "c-1001" },
      (message, schema) => {
        messages.push(message);
        expect(schema).toMatchObject({ properties: { confirm: { type: "boolean" } }, required: ["confirm"] });
        return { action: "accept", content: { confirm: true } };
      },
      async (id) => {
        // Confirmed by the requester, yet still waiting for its one approver.
        const held = await api("GET", `/api/approvals/${id}`, "bob");
        expect(held.json).toMatchObject({ status: "pending", count: 1, approvals: [] });
        expect((await api("POST", `/api/approvals/${id}/approve`, "bob", {})).status).toBe(200);
      },
    );
    expect(r.ok).toBe(true);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("lookup-confirmed-and-approved");
    expect(messages[0]).not.toContain("c-1001");
    const confirmed = (await trail()).filter((x) => x.kind === "approval.requester_confirmed");
    expect(confirmed.at(-1)?.decision).toMatchObject({ outcome: "allowed", ruleId: "lookup-confirmed-and-approved" });
    const executed = (await trail()).filter(
      (x) =>
        x.kind === "mcp.request" &&
        x.decision.ruleId === "lookup-confirmed-and-approved" &&
        x.decision.outcome === "allowed",
    );
    // The call ran on bob's approval: the approvers named are the approver, never the requester.
    expect(executed.at(-1)?.decision.approvers?.map((a) => a.username)).toEqual([DEMO.users.bob.username]);
  });

  test.each([
    ["declined", { action: "decline" as const }],
    ["cancelled", { action: "cancel" as const }],
    ["accepted without confirming", { action: "accept" as const, content: { confirm: false } }],
  ])(
    "a confirmation %s refuses the call (ERR_REQUESTER_DECLINED), recorded as approval.requester_declined",
    async (_, answer) => {
      const before = (await s.store.list({})).length;
      const r = await call("customers", "get_customer", { id: "c-1002" }, () => answer);
      expect(r.code).toBe("ERR_REQUESTER_DECLINED");
      expect(r.text).toContain("lookup-confirmed-and-approved");
      expect((await s.store.list({})).length).toBe(before);
      const declined = (await trail()).filter((x) => x.kind === "approval.requester_declined");
      expect(declined.at(-1)?.decision).toMatchObject({
        outcome: "denied",
        ruleId: "lookup-confirmed-and-approved",
        code: "ERR_REQUESTER_DECLINED",
      });
    },
  );

  test("a requester-only rule runs the call on the requester's confirmation alone; the answer never reaches the upstream", async () => {
    const r = await call("plain", "send_mail", { to: "x" }, () => ({ action: "accept", content: { confirm: true } }));
    expect(r.ok).toBe(true);
    expect(s.up.posts("tools/call").length).toBeGreaterThanOrEqual(1);
    // The upstream saw the call, never a client answer (it asked nothing).
    expect(s.up.received.some((x) => x.json && ("result" in x.json || "error" in x.json))).toBe(false);
  });

  test("an answer POSTed to another replica releases the call held on the first", async () => {
    const r = await call(
      "plain",
      "send_mail",
      { to: "y" },
      () => ({ action: "accept", content: { confirm: true } }),
      undefined,
      { via: s.urls[0], answerUrl: s.urls[1] },
    );
    expect(r.answersPosted).toEqual([s.urls[1]]);
    expect(r.ok).toBe(true);
  });
});
