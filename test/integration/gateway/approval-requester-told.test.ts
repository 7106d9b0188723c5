/**
 * Issue 19, items 5 and 3, through the real gateway: the MCP SDK client of a requester whose call
 * is held hears the decision (approved by whom; rejected with the approver's reason, masked;
 * expired; still pending when the gateway stops waiting) as notifications and in the JSON-RPC
 * error's data; and an approved call's record says whether the call ran and how it ended (ok,
 * error, blocked) — in the REST API, the CLI's source, and the approver's page (detail and history).
 * Decisions are taken through the REST API with the local issuer's tokens; tables on Azurite.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema, type McpError } from "@modelcontextprotocol/sdk/types.js";
import { ApprovalCoordinator } from "../../../runtime/core/approvals/approval-coordinator";
import { ApprovalStore } from "../../../runtime/core/approvals/approval-store";
import { repoRoot } from "../../../runtime/core/repo-root";
import { startHarness, type Harness } from "./gateway-harness";

jest.setTimeout(120_000);

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
  approvals: [{ id: "echo-approval", servers: ["everything"], tools: ["echo"], approvers: { roles: ["Approver"] } }],
  guardrails: [
    {
      id: "no-secret-word",
      servers: ["everything"],
      tools: ["echo"],
      on: "result",
      resultRegex: "FORBIDDEN-WORD",
      message: "the result names a forbidden word",
    },
  ],
});

type Data = Record<string, unknown>;
interface Held {
  approvalId: string;
  notices: Data[];
  result: unknown;
}

let h: Harness;
let store: ApprovalStore;
let url: string;
/** Moves the expiry clock of the third gateway's coordinator (the expired case). */
let clockOffsetMs = 0;
let expiringUrl: string;
let shortWaitUrl: string;

beforeAll(async () => {
  h = await startHarness(bundleFor);
  store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
  const coordinator = (over: Partial<ConstructorParameters<typeof ApprovalCoordinator>[0]>) =>
    new ApprovalCoordinator({
      store,
      audit: { sink: h.deps.audit, policyVersion: () => h.bundle.version },
      publicUrl: h.gatewayUrl,
      pollIntervalMs: 200,
      maxWaitMs: 30_000,
      ...over,
    });
  url = await h.extraGateway({ approvals: coordinator({}) });
  expiringUrl = await h.extraGateway({ approvals: coordinator({ now: () => new Date(Date.now() + clockOffsetMs) }) });
  shortWaitUrl = await h.extraGateway({ approvals: coordinator({ maxWaitMs: 1500 }) });
}, 90_000);
afterAll(() => h?.stop());

/** alice calls echo through `gateway`; `decide` runs once the gateway names the approval. */
async function aliceEcho(gateway: string, args: Data, decide: (approvalId: string) => Promise<unknown>): Promise<Held> {
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway}/mcp/everything`), {
    requestInit: { headers: { Authorization: `Bearer ${await h.token("alice")}` } },
  });
  const client = new Client({ name: "alice", version: "1.0.0" });
  await client.connect(transport);
  const notices: Data[] = [];
  let approvalId = "";
  let decided: Promise<unknown> = Promise.resolve();
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const data = n.params.data as Data;
    notices.push(data);
    if (data.status === "pending" && !approvalId) {
      approvalId = String(data.approvalId);
      decided = decide(approvalId);
    }
  });
  try {
    const result = await client.callTool({ name: "echo", arguments: args }).catch((e: McpError) => e);
    await decided;
    return { approvalId, notices, result };
  } finally {
    await client.close();
  }
}

async function api(
  method: "GET" | "POST",
  path: string,
  user = "bob",
  body?: unknown,
): Promise<{ status: number; json: Data }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await h.token(user)}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Data };
}

const approve = (id: string) => api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "checked" });
const errorData = (r: unknown): Data => ((r as McpError).data ?? {}) as Data;

/** The approver's page as bob's browser gets it: sign in through the local issuer, then GET `path`. */
async function page(path: string): Promise<string> {
  const cookieOf = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`) && !c.startsWith(`${name}=;`))
      ?.split(";")[0] ?? "";
  const login = await fetch(`${url}/approvals/login?login_hint=bob`, { redirect: "manual" });
  const authorize = await fetch(login.headers.get("location")!, { redirect: "manual" });
  const callback = await fetch(authorize.headers.get("location")!, {
    redirect: "manual",
    headers: { cookie: cookieOf(login, "gh_approvals_login") },
  });
  const session = cookieOf(callback, "gh_approver");
  expect(session).not.toBe("");
  const res = await fetch(`${url}${path}`, { headers: { cookie: session } });
  expect(res.status).toBe(200);
  return res.text();
}

/** `gatehouse approvals show <id>` through the built CLI (needs `npm run build`), as `user`. */
async function cliShow(id: string, user: string): Promise<{ code: number; stdout: string }> {
  const token = await h.token(user);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot(), "bin", "gatehouse.js"), "approvals", "show", id, "--token", token],
      { env: { ...process.env, GATEHOUSE_URL: url } },
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

describe("the requester is told (item 5)", () => {
  test("approved: a notice names the approver, then the call's result arrives", async () => {
    const held = await aliceEcho(url, { message: "hello" }, approve);
    expect(JSON.stringify((held.result as { content: unknown }).content)).toContain("hello");
    expect(held.notices.find((n) => n.status === "pending")).toMatchObject({
      approvalId: held.approvalId,
      url: expect.stringContaining(`/approvals/${held.approvalId}`),
      expiresAt: expect.any(String),
    });
    expect(held.notices.find((n) => n.status === "approved")).toMatchObject({
      approvalId: held.approvalId,
      decidedBy: ["bob@gatehouse.local"],
      decidedAt: expect.any(String),
    });
  });

  test("rejected: the notice and the JSON-RPC error carry the approver and the reason, masked", async () => {
    const reason = "customer 4111 1111 1111 1111 asked us not to";
    const held = await aliceEcho(url, { message: "delete me" }, (id) =>
      api("POST", `/api/approvals/${id}/reject`, "bob", { reason }),
    );
    const data = errorData(held.result);
    expect(data).toMatchObject({
      code: "ERR_APPROVAL_REJECTED",
      approvalId: held.approvalId,
      status: "rejected",
      decidedBy: ["bob@gatehouse.local"],
    });
    expect(String(data.reason)).toContain("asked us not to");
    const notice = held.notices.find((n) => n.status === "rejected");
    expect(notice).toMatchObject({ approvalId: held.approvalId, decidedBy: ["bob@gatehouse.local"] });
    const told = JSON.stringify({ data, notice, message: (held.result as McpError).message });
    expect(told).not.toContain("4111 1111 1111 1111");
    expect(told).not.toContain("4111111111111111");
  });

  test("expired: the notice and the error say so, with the expiry", async () => {
    clockOffsetMs = 0;
    const held = await aliceEcho(expiringUrl, { message: "too late" }, async () => {
      clockOffsetMs = 2 * 3600_000; // past the rule's expiry (3600 s by default)
    });
    expect(errorData(held.result)).toMatchObject({
      code: "ERR_APPROVAL_EXPIRED",
      approvalId: held.approvalId,
      status: "expired",
      expiresAt: expect.any(String),
    });
    expect(held.notices.find((n) => n.status === "expired")).toMatchObject({ approvalId: held.approvalId });
    expect((await store.get(held.approvalId))?.record.status).toBe("expired");
  });

  test("the gateway stops waiting: ERR_APPROVAL_PENDING names the approval, its page and its expiry", async () => {
    const held = await aliceEcho(shortWaitUrl, { message: "later" }, async () => undefined);
    expect(errorData(held.result)).toMatchObject({
      code: "ERR_APPROVAL_PENDING",
      approvalId: held.approvalId,
      status: "pending",
      url: expect.stringContaining(held.approvalId),
      expiresAt: expect.any(String),
    });
  });
});

describe("how the approved call ended (item 3)", () => {
  test("ok: the API and the page say the call ran and ended ok", async () => {
    const held = await aliceEcho(url, { message: "fine" }, approve);
    const view = await api("GET", `/api/approvals/${held.approvalId}`);
    expect(view.json).toMatchObject({
      status: "approved",
      consumedAt: expect.any(String),
      callOutcome: { status: "ok", ran: true, code: null, at: expect.any(String) },
    });
    // An Auditor reads the same outcome.
    expect((await api("GET", `/api/approvals/${held.approvalId}`, "carol")).json).toMatchObject({
      callOutcome: { status: "ok" },
    });
    expect(await page(`/approvals/${held.approvalId}`)).toMatch(
      /The call was forwarded <time[^>]*>[^<]*<\/time>; <strong class="outcome-ok">ended ok<\/strong>/,
    );
    // The requester whose client gave up reads the same with the CLI.
    const shown = await cliShow(held.approvalId, "alice");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/call ran\s+yes, forwarded .*; ended ok/);
  });

  test("blocked by a result guardrail: recorded as blocked, with the code", async () => {
    const held = await aliceEcho(url, { message: "FORBIDDEN-WORD" }, approve);
    expect(errorData(held.result).code).toBe("ERR_GUARDRAIL_BLOCKED");
    const view = await api("GET", `/api/approvals/${held.approvalId}`);
    expect(view.json).toMatchObject({ callOutcome: { status: "blocked", ran: true, code: "ERR_GUARDRAIL_BLOCKED" } });
    const history = await page(`/approvals/history?tool=echo&status=approved`);
    expect(history).toMatch(
      new RegExp(`${held.approvalId}[\\s\\S]*?blocked by a guardrail</strong> <code>ERR_GUARDRAIL_BLOCKED</code>`),
    );
  });

  test("the tool failed: recorded as error", async () => {
    const held = await aliceEcho(url, { message: 42 }, approve);
    expect(held.result).toBeDefined();
    const view = await api("GET", `/api/approvals/${held.approvalId}`);
    expect(view.json).toMatchObject({ callOutcome: { status: "error", ran: true } });
  });

  test("a request that was rejected has no call outcome: its call never ran", async () => {
    const held = await aliceEcho(url, { message: "no" }, (id) =>
      api("POST", `/api/approvals/${id}/reject`, "bob", { reason: "not now" }),
    );
    expect((await api("GET", `/api/approvals/${held.approvalId}`)).json).toMatchObject({
      status: "rejected",
      callOutcome: null,
      consumedAt: null,
    });
    const shown = await cliShow(held.approvalId, "alice");
    expect(shown.stdout).toMatch(/call ran\s+no: the request was rejected/);
    expect(shown.stdout).toMatch(/rejected by\s+bob@gatehouse\.local .*: not now/);
  });
});
