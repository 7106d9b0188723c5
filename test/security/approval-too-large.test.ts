/**
 * Attack: make an approver approve blind. Arguments too large for the approval record used to be
 * replaced by `{_truncated: true}`, and the approver could still approve what they could not see.
 * Now such a call is refused before any approval record exists (ERR_APPROVAL_TOO_LARGE), and a
 * record stored truncated by an older gateway cannot be approved: the API (and so the CLI)
 * refuses server-side, and the page disables Approve with an explanation. Rejecting still works.
 */
import { randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { DEMO } from "../../dev/local-issuer-launcher";
import { ApprovalCoordinator } from "../../runtime/core/approvals/approval-coordinator";
import type { ApprovalRecord } from "../../runtime/core/approvals/approval-record";
import { ApprovalStore } from "../../runtime/core/approvals/approval-store";
import { readAuditTrail } from "../../runtime/core/audit/audit-reader";
import { approvalsPage } from "../../runtime/gateway/approvals/page-html";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { startApprovalsStack, type ApprovalsStack } from "../integration/approvals/support/approvals-stack";

describe("a tool call whose arguments are too large to review", () => {
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
        { id: "echo-needs-approval", servers: ["everything"], tools: ["echo"], approvers: { roles: ["Approver"] } },
      ],
    }));
    store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
    const coordinator = new ApprovalCoordinator({
      store,
      audit: { sink: h.deps.audit, policyVersion: () => h.bundle.version },
      publicUrl: h.gatewayUrl,
      pollIntervalMs: 250,
      maxWaitMs: 2000,
    });
    url = await h.extraGateway({ approvals: coordinator });
  }, 60_000);
  afterAll(() => h?.stop());

  test("is refused with ERR_APPROVAL_TOO_LARGE before any approval record exists, and the refusal is audited", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp/everything`), {
      requestInit: { headers: { Authorization: `Bearer ${await h.token("alice")}` } },
    });
    const client = new Client({ name: "alice", version: "1.0.0" });
    await client.connect(transport);
    try {
      const big = "lorem ipsum dolor sit amet ".repeat(1500); // ~40,000 characters
      const outcome = await client.callTool({ name: "echo", arguments: { message: big } }).then(
        () => "executed",
        (e: McpError) => (e.data as { code?: string }).code,
      );
      expect(outcome).toBe("ERR_APPROVAL_TOO_LARGE");
    } finally {
      await client.close();
    }
    expect((await store.list({ status: "pending" })).filter((s) => s.record.tool === "echo")).toEqual([]);
    const records = [...(await readAuditTrail({ blobService: h.blobService })).chains.values()].flat();
    expect(
      records.some(
        (r) =>
          r.kind === "mcp.request" && r.decision.outcome === "denied" && r.decision.code === "ERR_APPROVAL_TOO_LARGE",
      ),
    ).toBe(true);
    expect(records.some((r) => r.kind === "approval.requested" && r.action.name === "echo")).toBe(false);
  });
});

describe("an approval stored truncated by an older gateway", () => {
  let stack: ApprovalsStack;
  let legacy: ApprovalRecord;
  beforeAll(async () => {
    stack = await startApprovalsStack();
    const now = Date.now();
    legacy = {
      id: randomUUID(),
      kind: "tool-call",
      status: "pending",
      requester: { oid: DEMO.users.alice.oid, tenantId: DEMO.tenantId, username: DEMO.users.alice.username },
      server: "customers",
      tool: "delete_customer",
      argsHash: "b".repeat(64),
      maskedArgs: { _truncated: true, note: "masked arguments too large to keep in the approval record" },
      ruleId: "delete-customer",
      ruleDescription: "",
      approvers: { roles: ["Approver"], groups: [] },
      count: 1,
      approvals: [],
      rejectedBy: null,
      correlationId: null,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 600_000).toISOString(),
      decidedAt: null,
      usableUntil: null,
      consumedAt: null,
      consumedBy: null,
    };
    await stack.approvals.create(legacy);
  }, 60_000);
  afterAll(() => stack?.stop());

  test("the API says it is not approvable and refuses Approve server-side; Reject still works", async () => {
    const view = await stack.api("GET", `/api/approvals/${legacy.id}`, "bob");
    expect([view.status, view.json.approvable]).toEqual([200, false]);
    const approve = await stack.api("POST", `/api/approvals/${legacy.id}/approve`, "bob", {});
    expect([approve.status, approve.json.error?.code]).toEqual([422, "ERR_APPROVAL_TOO_LARGE"]);
    expect((await stack.approvals.require(legacy.id)).record.status).toBe("pending");
    const reject = await stack.api("POST", `/api/approvals/${legacy.id}/reject`, "bob", {
      reason: "cannot review what I cannot see",
    });
    expect([reject.status, reject.json.status]).toEqual([200, "rejected"]);
  });

  test("the page disables Approve and says why", () => {
    const html = approvalsPage({
      nonce: "n",
      user: { oid: "bob", username: "bob", csrf: "c" },
      pending: [{ record: legacy, canDecide: true, why: null }],
      recent: [],
      version: "v",
      notice: null,
    });
    expect(html).toMatch(
      new RegExp(
        `<button type="submit" name="action" value="approve" disabled aria-describedby="not-approvable-${legacy.id}">`,
      ),
    );
    expect(html).toContain(`id="not-approvable-${legacy.id}"`);
    expect(html).toContain("too large to keep for review");
    expect(html).toMatch(/<button type="submit" name="action" value="reject">/);
  });
});
