/**
 * GET /api/evidence/:report mounted in the real gateway app (test/integration/gateway harness),
 * with real tokens from the local issuer verified by the gateway's auth middleware: the Auditor
 * reads evidence and reaches no MCP server; Engineers and Approvers cannot read evidence. The
 * reports run over records the gateway and the real ApprovalCoordinator wrote for real MCP calls
 * (one allowed, one approved by another user, one rejected).
 */
import { sha256Hex } from "../../../runtime/core/policy-model/canonical-json";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { DEMO } from "../../../dev/local-issuer-launcher";
import { ApprovalCoordinator } from "../../../runtime/core/approvals/approval-coordinator";
import { ApprovalStore } from "../../../runtime/core/approvals/approval-store";
import { decideApproval } from "../../../runtime/core/approvals/approval-decisions";
import type { Identity } from "../../../runtime/core/identity";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { readZip } from "../../../runtime/core/evidence/zip-reader";
import { verifyPackageFiles } from "../../../runtime/core/evidence/package-verifier";
import { createEvidenceRouter } from "../../../runtime/gateway/evidence/evidence-router";
import { startHarness, type Harness } from "../gateway/gateway-harness";

const bundleFor = ({ everythingUrl }: { everythingUrl: string }) => ({
  schemaVersion: 1,
  commit: null,
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
let h: Harness;
let url: string;
const from = new Date(Date.now() - 60_000).toISOString();
const to = () => new Date(Date.now() + 60_000).toISOString();

beforeAll(async () => {
  h = await startHarness(bundleFor);
  const router = createEvidenceRouter({
    authenticate: h.deps.authenticate,
    readTrail: () => readAuditTrail({ blobService: h.blobService }),
    bundles: () => [h.bundle],
    publicJwks: async () => [await h.deps.signer.publicJwk()],
    source: { type: "azure-blob", endpoint: h.blobService.url, container: "audit" },
    audit: h.deps.audit,
    signer: h.deps.signer,
    generatorVersion: "test",
  });
  const store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
  const coordinator = new ApprovalCoordinator({
    store,
    audit: { sink: h.deps.audit, policyVersion: () => h.bundle.version },
    publicUrl: h.gatewayUrl,
    pollIntervalMs: 250,
    maxWaitMs: 30_000,
  });
  url = await h.extraGateway({ routers: [router], approvals: coordinator });
  // Real traffic through the gateway: one allowed call, one approved by bob, one rejected by bob.
  const client = new Client({ name: "alice", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp/everything`), {
      requestInit: { headers: { Authorization: `Bearer ${await h.token("alice")}` } },
    }),
  );
  let decided: Promise<unknown> = Promise.resolve();
  let action: "approve" | "reject" = "approve";
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    // Decide once, on the pending notice: the decision's own notice names the approval too.
    const { approvalId: id, status } = n.params.data as { approvalId?: string; status?: string };
    if (id && status === "pending")
      decided = decideApproval(
        { store, audit: { sink: h.deps.audit } },
        { id, action, who: bob, reason: action === "reject" ? "not today" : "ok" },
      );
  });
  await client.callTool({ name: "echo", arguments: { message: "hello" } });
  await client.callTool({ name: "get-sum", arguments: { a: 5000, b: 1 } });
  await decided;
  action = "reject";
  await client.callTool({ name: "get-sum", arguments: { a: 7000, b: 1 } }).catch(() => undefined);
  await decided;
  await client.close();
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

async function get(user: string | null, path: string) {
  const headers: Record<string, string> = user ? { authorization: `Bearer ${await h.token(user)}` } : {};
  return fetch(`${url}${path}`, { headers });
}

test("the Auditor reads the tool-calls population the gateway recorded, with no exceptions", async () => {
  const res = await get("carol", `/api/evidence/tool-calls?from=${from}&to=${to()}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    manifest: { recordCount: number; chains: { recordCount: number; firstSeq: number; lastSeq: number }[] };
    rows: Record<string, unknown>[];
  };
  const calls = body.rows.map((r) => [
    r.tool,
    r.actorUsername,
    r.decision,
    r.executed,
    r.approvers,
    r.approvalId !== null,
  ]);
  expect(calls).toEqual([
    ["echo", "alice@gatehouse.local", "allowed", true, "", false],
    ["get-sum", "alice@gatehouse.local", "approval_approved", true, "bob@gatehouse.local", true],
    ["get-sum", "alice@gatehouse.local", "approval_rejected", false, "", true],
  ]);
  for (const c of body.manifest.chains) expect(c.recordCount).toBe(c.lastSeq - c.firstSeq + 1);
  const approvals = (await (await get("carol", `/api/evidence/approvals?from=${from}&to=${to()}`)).json()) as {
    rows: Record<string, unknown>[];
    exceptions: unknown[];
  };
  expect(approvals.rows.map((r) => [r.state, r.requesterUsername, r.approvers, r.reasons, r.consumedCount])).toEqual([
    ["approved", "alice@gatehouse.local", "bob@gatehouse.local", "ok", 1],
    ["rejected", "alice@gatehouse.local", "", "not today", 0],
  ]);
  expect(approvals.exceptions).toEqual([]);
});

test("the zip format verifies, and every export is itself audited", async () => {
  const res = await get("carol", `/api/evidence/policy-changes?from=${from}&to=${to()}&format=zip`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/zip");
  const files = new Map(readZip(Buffer.from(await res.arrayBuffer())).map((e) => [e.name, e.content]));
  expect(verifyPackageFiles(files)).toMatchObject({ ok: true, problems: [] });
  // Signed with the gateway's key, checked offline with its public JWK; names the request and the Auditor.
  expect(
    verifyPackageFiles(files, { publicJwks: [await h.deps.signer.publicJwk()], requireSignature: true }),
  ).toMatchObject({ ok: true, signature: "valid" });
  const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
  expect(manifest.producedBy).toMatchObject({
    command: expect.stringMatching(/^GET \/api\/evidence\/policy-changes\?from=/),
    user: { username: "carol@gatehouse.local", source: "entra" },
  });
  const trail = await readAuditTrail({ blobService: h.blobService });
  const exported = [...trail.chains.values()].flat().filter((r) => r.kind === "evidence.exported");
  expect(exported.map((r) => [r.actor.username, r.action.name])).toContainEqual([
    "carol@gatehouse.local",
    "policy-changes",
  ]);
  // The same record shape as the CLI's: the manifest handed out is pinned by its sha256.
  const mine = exported.find((r) => r.action.name === "policy-changes")!;
  expect(mine.details).toMatchObject({
    via: "api",
    actorSource: "entra",
    manifestSha256: sha256Hex(files.get("manifest.json")!),
  });
});

test("other roles cannot read evidence; no token is 401; bad input is 400", async () => {
  for (const user of ["alice", "bob"]) {
    const res = await get(user, `/api/evidence/tool-calls?from=${from}&to=${to()}`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ERR_FORBIDDEN");
  }
  const none = await get(null, `/api/evidence/tool-calls?from=${from}&to=${to()}`);
  expect(none.status).toBe(401);
  // One body shape on /api, the bearer middleware's 401 included (issue 14, item 3).
  expect(none.headers.get("www-authenticate")).toMatch(/^Bearer /);
  expect(((await none.json()) as { error: { code: string } }).error.code).toBe("ERR_AUTH_MISSING");
  expect((await get("carol", `/api/evidence/nope?from=${from}&to=${to()}`)).status).toBe(400);
  expect((await get("carol", `/api/evidence/tool-calls?from=yesterday&to=${to()}`)).status).toBe(400);
});

test("the Auditor reaches no MCP server through the same gateway", async () => {
  const client = new Client({ name: "carol", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp/everything`), {
    requestInit: { headers: { Authorization: `Bearer ${await h.token("carol")}` } },
  });
  await expect(client.connect(transport)).rejects.toThrow(/ERR_FORBIDDEN/);
});
