import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema, type McpError } from "@modelcontextprotocol/sdk/types.js";
import { DEMO } from "../../../dev/local-issuer-launcher";
import { ApprovalCoordinator } from "../../../runtime/core/approvals/approval-coordinator";
import { ApprovalStore } from "../../../runtime/core/approvals/approval-store";
import { decideApproval } from "../../../runtime/core/approvals/approval-decisions";
import type { Identity } from "../../../runtime/core/identity";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { startHarness, type Harness } from "./gateway-harness";

/**
 * A tools/call whose decision is "approval" is held by the gateway through the real
 * ApprovalCoordinator (approvals table in Azurite): the client is told the approval id on the SSE
 * stream, and the call completes once a different user approves — or fails when rejected.
 */
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
    {
      id: "big-sums",
      servers: ["everything"],
      tools: ["get-sum"],
      when: [{ path: "a", op: "gt", value: 1000 }],
      approvers: { roles: ["Approver"] },
    },
  ],
});

const bob: Identity = {
  oid: DEMO.users.bob.oid,
  tenantId: DEMO.tenantId,
  username: DEMO.users.bob.username,
  roles: ["Approver"],
  groups: [],
  groupsOverage: false,
  via: "entra",
  jit: null,
};

describe("tool calls needing approval, held by the gateway", () => {
  let h: Harness;
  let url: string;
  let store: ApprovalStore;
  beforeAll(async () => {
    h = await startHarness(bundleFor);
    store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
    const audit = { sink: h.deps.audit, policyVersion: () => h.bundle.version };
    const coordinator = new ApprovalCoordinator({
      store,
      audit,
      publicUrl: h.gatewayUrl,
      pollIntervalMs: 250,
      maxWaitMs: 30_000,
    });
    url = await h.extraGateway({ approvals: coordinator });
  }, 60_000);
  afterAll(() => h?.stop());

  async function aliceCalls(a: number, decide: (approvalId: string) => Promise<unknown>) {
    const token = await h.token("alice");
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp/everything`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: "alice", version: "1.0.0" });
    await client.connect(transport);
    let decided: Promise<unknown> = Promise.resolve();
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      // Decide once, on the pending notice: the decision's own notice names the approval too.
      const { approvalId: id, status } = n.params.data as { approvalId?: string; status?: string };
      if (id && status === "pending") decided = decide(id);
    });
    try {
      const result = await client.callTool({ name: "get-sum", arguments: { a, b: 1 } }).catch((e: McpError) => e);
      await decided;
      return result;
    } finally {
      await client.close();
    }
  }

  test("approved by another user: the held call completes", async () => {
    const result = await aliceCalls(5000, (id) =>
      decideApproval({ store, audit: { sink: h.deps.audit } }, { id, action: "approve", who: bob, reason: null }),
    );
    expect(JSON.stringify((result as { content: unknown }).content)).toContain("5001");
  }, 60_000);

  test("request records name the access rule that reached the tool (details.accessRuleId), also when ruleId is the approval rule", async () => {
    const small = await aliceCalls(2, async () => undefined);
    expect(JSON.stringify((small as { content: unknown }).content)).toContain("3");
    const trail = await readAuditTrail({ blobService: h.blobService });
    const calls = [...trail.chains.values()]
      .flat()
      .filter((r) => r.kind === "mcp.request" && r.action.name === "get-sum" && r.decision.outcome === "allowed");
    const approved = calls.find((r) => r.decision.approvalId);
    const plain = calls.find((r) => !r.decision.approvalId);
    expect(approved).toMatchObject({ decision: { ruleId: "big-sums" }, details: { accessRuleId: "engineers" } });
    expect(plain).toMatchObject({ decision: { ruleId: "engineers" }, details: { accessRuleId: "engineers" } });
  }, 60_000);

  test("rejected: the call fails with ERR_APPROVAL_REJECTED", async () => {
    const result = await aliceCalls(7000, (id) =>
      decideApproval({ store, audit: { sink: h.deps.audit } }, { id, action: "reject", who: bob, reason: "not today" }),
    );
    expect(((result as McpError).data as { code: string }).code).toBe("ERR_APPROVAL_REJECTED");
  }, 60_000);
});
