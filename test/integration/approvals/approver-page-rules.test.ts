/**
 * The server-side rules behind the approver's page (issue 19), through the real interfaces: the
 * MCP SDK client through the gateway (a requester's reason in `_meta`, a rule that requires one),
 * and the REST API on Azurite and the local issuer's tokens (irreversible calls need an explicit
 * confirmation, Auditors read every request and decide none, the history's filters).
 */
import { randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { DEMO } from "../../../dev/local-issuer-launcher";
import type { ApprovalRule } from "../../../runtime/core/policy-model/schema";
import { ApprovalCoordinator } from "../../../runtime/core/approvals/approval-coordinator";
import { ApprovalStore } from "../../../runtime/core/approvals/approval-store";
import { ToolCatalog } from "../../../runtime/core/approvals/tool-catalog";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import type { Identity } from "../../../runtime/core/identity";
import { startHarness, type Harness } from "../gateway/gateway-harness";
import { startApprovalsStack, type ApprovalsStack } from "./support/approvals-stack";

jest.setTimeout(120_000);

describe("a requester's reason, through MCP", () => {
  let h: Harness;
  let store: ApprovalStore;
  let url: string;
  beforeAll(async () => {
    h = await startHarness(({ everythingUrl }) => ({
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
        {
          id: "echo-needs-a-reason",
          servers: ["everything"],
          tools: ["echo"],
          approvers: { roles: ["Approver"] },
          requireReason: true,
        },
      ],
    }));
    store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
    const coordinator = new ApprovalCoordinator({
      store,
      audit: { sink: h.deps.audit, policyVersion: () => h.bundle.version },
      publicUrl: h.gatewayUrl,
      pollIntervalMs: 250,
      maxWaitMs: 1500,
    });
    url = await h.extraGateway({ approvals: coordinator });
  }, 60_000);
  afterAll(() => h?.stop());

  const call = async (meta?: Record<string, unknown>): Promise<string> => {
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp/everything`), {
      requestInit: { headers: { Authorization: `Bearer ${await h.token("alice")}` } },
    });
    const client = new Client({ name: "alice", version: "1.0.0" });
    await client.connect(transport);
    try {
      return await client
        .callTool({ name: "echo", arguments: { message: `hello ${randomUUID()}` }, ...(meta ? { _meta: meta } : {}) })
        .then(
          () => "executed",
          (e: McpError) => String((e.data as { code?: string }).code),
        );
    } finally {
      await client.close();
    }
  };

  test("a rule that requires a reason refuses a call without one, before any approval record, and audits the refusal", async () => {
    expect(await call()).toBe("ERR_APPROVAL_REASON_REQUIRED");
    expect(await call({ "gatehouse/reason": "  " })).toBe("ERR_APPROVAL_REASON_REQUIRED");
    expect((await store.list({})).filter((s) => s.record.tool === "echo")).toEqual([]);
    const records = [...(await readAuditTrail({ blobService: h.blobService })).chains.values()].flat();
    expect(
      records.some(
        (r) =>
          r.kind === "mcp.request" &&
          r.decision.outcome === "denied" &&
          r.decision.code === "ERR_APPROVAL_REASON_REQUIRED",
      ),
    ).toBe(true);
  });

  test('a reason in _meta["gatehouse/reason"] is stored with the request, masked, with the rule in words', async () => {
    expect(await call({ "gatehouse/reason": "ticket INC-7: customer 4111 1111 1111 1111 asked" })).toBe(
      "ERR_APPROVAL_PENDING",
    );
    const [rec] = (await store.list({})).filter((s) => s.record.tool === "echo").map((s) => s.record);
    expect(rec.requesterReason).toContain("ticket INC-7");
    expect(rec.requesterReason).not.toContain("4111 1111 1111 1111");
    expect(rec.ruleText).toMatch(/echo on everything/);
    expect(rec.ruleText).toMatch(/must give a reason/);
  });
});

describe("irreversible calls, Auditors and the history, through the REST API", () => {
  let stack: ApprovalsStack;
  const tools = new ToolCatalog();
  const alice: Identity = {
    oid: DEMO.users.alice.oid,
    tenantId: DEMO.tenantId,
    username: DEMO.users.alice.username,
    roles: ["Engineer"],
    groups: [],
    groupsOverage: false,
    via: "entra",
    jit: null,
  };
  const rule: ApprovalRule = {
    id: "delete-customer",
    description: "",
    servers: ["customers"],
    tools: ["delete_customer"],
    when: [],
    approvers: { roles: ["Approver"], groups: [] },
    count: 1,
    expiresAfterSeconds: 600,
  };
  beforeAll(async () => {
    // What the gateway keeps from the customers server's tools/list.
    tools.remember("customers", [
      {
        name: "delete_customer",
        description: "Deletes customer records for good.",
        annotations: { destructiveHint: true, idempotentHint: true },
      },
    ]);
    stack = await startApprovalsStack({ tools });
  });
  afterAll(() => stack?.stop());

  const hold = (tool = "delete_customer") =>
    new Promise<string>((resolve, reject) => {
      stack.coordinator
        .requestAndWait({
          identity: alice,
          server: "customers",
          tool,
          args: { ids: [randomUUID()] },
          maskedArgs: { ids: ["c-1"] },
          rule: { ...rule, tools: [tool] },
          correlationId: randomUUID(),
          signal: AbortSignal.timeout(5000),
          maxWaitMs: 5000,
          onPending: (p) => resolve(p.approvalId),
        })
        .catch(reject);
    });

  test("approving an irreversible call needs confirmIrreversible: true; rejecting does not", async () => {
    const id = await hold();
    const view = (await stack.api("GET", `/api/approvals/${id}`, "bob")).json;
    expect(view).toMatchObject({
      irreversible: true,
      toolInfo: { description: "Deletes customer records for good.", destructive: true },
      url: `${stack.url}/approvals/${id}`,
    });
    const refused = await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok" });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe("ERR_CONFIRMATION_REQUIRED");
    expect((await stack.api("GET", `/api/approvals/${id}`, "bob")).json.status).toBe("pending");
    expect(
      (await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok", confirmIrreversible: true })).json
        .status,
    ).toBe("approved");

    const other = await hold();
    expect((await stack.api("POST", `/api/approvals/${other}/reject`, "bob", { reason: "no" })).json.status).toBe(
      "rejected",
    );
  });

  test("a tool the gateway has not seen is not called irreversible, and needs no confirmation", async () => {
    const id = await hold("purge_cache");
    expect((await stack.api("GET", `/api/approvals/${id}`, "bob")).json).toMatchObject({
      irreversible: false,
      toolInfo: null,
    });
    expect((await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok" })).status).toBe(200);
  });

  test("when the requester's client goes away, the request says at once that nobody is waiting", async () => {
    const gone = new AbortController();
    let pending!: (id: string) => void;
    const idP = new Promise<string>((r) => (pending = r));
    const outcome = stack.coordinator.requestAndWait({
      identity: alice,
      server: "customers",
      tool: "delete_customer",
      args: { ids: [randomUUID()] },
      maskedArgs: {},
      rule,
      correlationId: randomUUID(),
      signal: gone.signal,
      maxWaitMs: 60_000,
      onPending: (p) => pending(p.approvalId),
    });
    const id = await idP;
    const before = (await stack.api("GET", `/api/approvals/${id}`, "bob")).json;
    expect(Date.parse(before.waitingUntil)).toBeGreaterThan(Date.now() + 30_000);
    gone.abort();
    expect((await outcome).outcome).toBe("timeout");
    const after = (await stack.api("GET", `/api/approvals/${id}`, "bob")).json;
    expect(after.status).toBe("pending");
    expect(Date.parse(after.waitingUntil)).toBeLessThanOrEqual(Date.now());
  });

  test("an Auditor reads every request and the filtered history, and decides none", async () => {
    const id = await hold();
    expect((await stack.api("GET", `/api/approvals/${id}`, "carol")).status).toBe(200);
    for (const action of ["approve", "reject"]) {
      const r = await stack.api("POST", `/api/approvals/${id}/${action}`, "carol", {
        reason: "auditing",
        confirmIrreversible: true,
      });
      expect({ status: r.status, code: r.json.error.code }).toEqual({ status: 403, code: "ERR_NOT_APPROVER" });
    }
    const ids = async (q: string) =>
      ((await stack.api("GET", `/api/approvals?${q}`, "carol")).json.approvals as { id: string }[]).map((a) => a.id);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      await ids(
        `status=all&requester=${encodeURIComponent(DEMO.users.alice.username)}&server=customers&tool=delete_customer&from=${today}&to=${today}`,
      ),
    ).toContain(id);
    expect(await ids("status=pending&tool=delete_customer")).toContain(id);
    expect(await ids("status=all&tool=get_customer")).not.toContain(id);
    expect(await ids("status=approved")).not.toContain(id);
    expect(await ids("status=all&from=2099-01-01")).not.toContain(id);
    expect(await ids("status=all&requester=bob@gatehouse.local")).not.toContain(id);
    const bad = await stack.api("GET", "/api/approvals?status=all&from=yesterday", "carol");
    expect({ status: bad.status, code: bad.json.error.code }).toEqual({ status: 400, code: "ERR_BAD_REQUEST" });
  });
});
