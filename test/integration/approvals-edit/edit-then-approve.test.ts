/**
 * Issue 20, item 1 — edit, then approve — through the real gateway (composed as the process
 * composes it, approvals wired), server-everything as the upstream, Azurite, the local issuer and
 * the MCP SDK client of a requester whose call is held. Edits are taken through the REST API and
 * the built CLI; what the upstream received is read from its echo, and what the requester was told
 * from the result's `_meta` and content. Refused edits change nothing; the audit trail keeps only
 * masked values of an edit.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { LoggingMessageNotificationSchema, type McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import {
  createStatefulMcpHttpApp,
  listenMcpHttpApp,
  type ListeningMcpHttpApp,
} from "../../../dev/mcp/stateful-mcp-http-app";
import { TableClient } from "@azure/data-tables";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import type { GatewayConfig } from "../../../runtime/core/config/gateway-config";
import { repoRoot } from "../../../runtime/core/repo-root";
import { startHarness, type Harness } from "../gateway/gateway-harness";

jest.setTimeout(120_000);

const CARD = "4111 1111 1111 1111";
const REASON_CARD = "4242 4242 4242 4242";

/** An upstream that answers with plain JSON, never an SSE stream (enableJsonResponse, as stateless servers do). */
let jsonUpstream: ListeningMcpHttpApp;
function notes(): McpServer {
  const server = new McpServer({ name: "notes", version: "1.0.0" });
  server.registerTool("note", { description: "note", inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: "text", text: `Noted: ${text}` }],
  }));
  return server;
}

const bundleFor = ({ everythingUrl }: { everythingUrl: string }) => ({
  schemaVersion: 1,
  servers: [
    { name: "everything", transport: { type: "http", url: everythingUrl } },
    { name: "notes", transport: { type: "http", url: jsonUpstream.url } },
  ],
  access: [
    {
      id: "engineers",
      mode: "standing",
      principals: { roles: ["Engineer"] },
      servers: ["everything", "notes"],
      tools: { allow: ["*"] },
      argumentConstraints: [{ tool: "get-sum", predicates: [{ path: "a", op: "lt", value: 1000 }] }],
    },
  ],
  // Card numbers are masked in the audit copy only: the requester's echo shows what the upstream ran.
  masking: [
    { id: "cards", detectors: ["credit_card"], style: "last4", scope: "audit" },
    // get-sum's `b` is masked whole in the audit copy: the page's form must keep it without seeing it.
    { id: "hidden-b", tools: ["get-sum"], fieldNames: ["b"], scope: "audit" },
  ],
  approvals: [
    { id: "echo-approval", servers: ["everything"], tools: ["echo"], approvers: { roles: ["Approver"] } },
    { id: "notes-approval", servers: ["notes"], tools: ["note"], approvers: { roles: ["Approver"] } },
    {
      id: "sums-by-two",
      servers: ["everything"],
      tools: ["get-sum"],
      approvers: { roles: ["Approver", "Auditor"] },
      count: 2,
    },
    {
      id: "no-edits",
      servers: ["everything"],
      tools: ["get-annotated-message"],
      approvers: { roles: ["Approver"] },
      allowEdit: false,
    },
  ],
  guardrails: [
    {
      id: "no-rm",
      servers: ["everything"],
      tools: ["echo"],
      on: "call",
      when: [{ path: "message", op: "contains", value: "rm -rf" }],
      message: "no shell commands in echoes",
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
let url: string;
let shortWaitUrl: string;

beforeAll(async () => {
  jsonUpstream = await listenMcpHttpApp(createStatefulMcpHttpApp(notes, { jsonResponse: true }), 0);
  h = await startHarness(bundleFor);
  // The wired coordinator (approvals: undefined), as production runs it; one with a short wait.
  url = (await h.gateway({ approvals: undefined })).url;
  shortWaitUrl = (
    await h.gateway({
      approvals: undefined,
      // The composed gateway's config is the whole GatewayConfig (its deps type names only part of it).
      config: { env: { ...(h.deps.config as GatewayConfig).env, GATEHOUSE_APPROVAL_MAX_WAIT_SECONDS: 2 } },
    })
  ).url;
}, 90_000);
afterAll(async () => {
  await h?.stop();
  await jsonUpstream?.close();
});

/** alice calls `tool` through `gateway` (after listing tools, as clients do); `decide` runs once the call is held. */
async function aliceCalls(
  gateway: string,
  tool: string,
  args: Data,
  decide: (approvalId: string) => Promise<unknown>,
  server = "everything",
): Promise<Held> {
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway}/mcp/${server}`), {
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
    await client.listTools();
    const result = await client.callTool({ name: tool, arguments: args }).catch((e: McpError) => e);
    await decided;
    return { approvalId, notices, result };
  } finally {
    await client.close();
  }
}

async function api(
  base: string,
  method: "GET" | "POST",
  p: string,
  user = "bob",
  body?: unknown,
): Promise<{ status: number; json: Data }> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${await h.token(user)}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Data };
}

const edit = (base: string, id: string, body: unknown, user = "bob") =>
  api(base, "POST", `/api/approvals/${id}/edit`, user, body);
const codeOf = (r: { json: Data }) => (r.json.error as Data | undefined)?.code;
const textOf = (r: unknown) => JSON.stringify((r as { content?: unknown }).content ?? null);
const metaOf = (r: unknown) => ((r as { _meta?: Data })._meta ?? {})["gatehouse/edited"] as Data | undefined;

/** `gatehouse approvals <args>` through the built CLI (needs `npm run build`), as `user`. */
async function cli(
  base: string,
  args: string[],
  user = "bob",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const token = await h.token(user);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot(), "bin", "gatehouse.js"), "approvals", ...args, "--token", token],
      { env: { ...process.env, GATEHOUSE_URL: base } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("edit, then approve (API)", () => {
  test("the held call runs upstream with the edited arguments, and the requester is told", async () => {
    let edited: { status: number; json: Data } | null = null;
    const held = await aliceCalls(url, "echo", { message: "delete everything" }, async (id) => {
      edited = await edit(url, id, { reason: "only the one record", arguments: { message: "delete record 42" } });
    });
    expect(edited!.status).toBe(200);
    expect(edited!.json).toMatchObject({ status: "approved", edit: { by: { username: "bob@gatehouse.local" } } });
    // What the upstream received: its echo of the edited message, not the requested one.
    expect(textOf(held.result)).toContain("Echo: delete record 42");
    expect(textOf(held.result)).not.toContain("delete everything");
    const meta = metaOf(held.result);
    expect(meta).toMatchObject({ by: "bob@gatehouse.local", reason: "only the one record" });
    expect(meta!.originalHash).toMatch(/^[0-9a-f]{64}$/);
    expect(meta!.editedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(meta!.originalHash).not.toBe(meta!.editedHash);
    expect(textOf(held.result)).toContain("edited by approver bob@gatehouse.local");
    expect(held.notices.find((n) => n.status === "approved")).toMatchObject({ edited: meta });
    // The record: bound to the edited hash, the original kept (masked), the edit's author and reason.
    const rec = (await api(url, "GET", `/api/approvals/${held.approvalId}`)).json;
    expect(rec).toMatchObject({
      edit: {
        originalArgsHash: rec.argsHash,
        editedArgsHash: meta!.editedHash,
        originalMaskedArgs: { message: "delete everything" },
        changed: ["message"],
      },
      arguments: { message: "delete record 42" },
      callOutcome: { status: "ok", ran: true },
    });
    expect(rec.consumedAt).not.toBeNull();
  });

  test("refused edits change nothing: schema, policy predicate, guardrail, rule, reason, self-approval", async () => {
    const outcomes: Record<string, unknown> = {};
    const held = await aliceCalls(url, "echo", { message: "hello" }, async (id) => {
      const before = (await api(url, "GET", `/api/approvals/${id}`)).json;
      const tries = {
        schema: await edit(url, id, { reason: "typo", arguments: { message: 42 } }),
        guardrail: await edit(url, id, { reason: "cleanup", arguments: { message: "rm -rf /" } }),
        noReason: await edit(url, id, { arguments: { message: "hello there" } }),
        nothing: await edit(url, id, { reason: "same", arguments: { message: "hello" } }),
        self: await edit(url, id, { reason: "mine", arguments: { message: "hello there" } }, "alice"),
        auditor: await edit(url, id, { reason: "read only", arguments: { message: "hello there" } }, "carol"),
      };
      for (const [k, r] of Object.entries(tries)) outcomes[k] = { status: r.status, code: codeOf(r) };
      outcomes.schemaMessage = (tries.schema.json.error as Data).message;
      outcomes.guardrailMessage = (tries.guardrail.json.error as Data).message;
      const after = (await api(url, "GET", `/api/approvals/${id}`)).json;
      outcomes.unchanged = { ...after, waitingUntil: null } as unknown;
      outcomes.before = { ...before, waitingUntil: null } as unknown;
      await api(url, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "fine as it is" });
    });
    expect(outcomes).toMatchObject({
      schema: { status: 400, code: "ERR_EDIT_INVALID" },
      guardrail: { status: 403, code: "ERR_EDIT_DENIED" },
      noReason: { status: 400, code: "ERR_BAD_REQUEST" },
      nothing: { status: 400, code: "ERR_EDIT_INVALID" },
      self: { status: 403, code: "ERR_SELF_APPROVAL" },
      auditor: { status: 403, code: "ERR_NOT_APPROVER" },
    });
    expect(outcomes.unchanged).toEqual(outcomes.before);
    // The refusal says where, from the schema and the policy, never quoting the edited value.
    expect(outcomes.schemaMessage).toContain("type at #/properties/message/type");
    expect(outcomes.guardrailMessage).toContain("ERR_GUARDRAIL_BLOCKED");
    expect(JSON.stringify(outcomes)).not.toContain("rm -rf");
    // The call then ran as requested, with no edit notice.
    expect(textOf(held.result)).toContain("Echo: hello");
    expect(metaOf(held.result)).toBeUndefined();
  });

  test("an argument predicate of the policy refuses an edit the requester could not have sent", async () => {
    let refused: unknown;
    await aliceCalls(url, "get-sum", { a: 1, b: 2 }, async (id) => {
      const r = await edit(url, id, { reason: "bigger", arguments: { a: 5000 } });
      refused = { status: r.status, code: codeOf(r) };
      await api(url, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "test over" });
    });
    expect(refused).toEqual({ status: 403, code: "ERR_EDIT_DENIED" });
  });

  test("the sealed arguments are kept only while an approver may still edit: gone once used, rejected or expired", async () => {
    // The approvals table as stored (the API never shows sealed arguments): what is left at rest.
    const table = TableClient.fromConnectionString(h.azurite.connectionString, "approvals", {
      allowInsecureConnection: true,
    });
    const stored = async (id: string) =>
      JSON.parse(String((await table.getEntity<{ doc: string }>(id, "approval")).doc)) as Data;
    let whilePending: Data = {};
    const used = await aliceCalls(url, "echo", { message: "sealed while held" }, async (id) => {
      whilePending = await stored(id);
      await api(url, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok" });
    });
    expect(typeof whilePending.sealedArgs).toBe("string");
    expect(textOf(used.result)).toContain("Echo: sealed while held");
    expect(await stored(used.approvalId)).toMatchObject({ status: "approved", sealedArgs: null });
    expect((await stored(used.approvalId)).consumedAt).not.toBeNull();

    const rejected = await aliceCalls(url, "echo", { message: "never runs" }, async (id) => {
      await api(url, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "no" });
    });
    expect(await stored(rejected.approvalId)).toMatchObject({ status: "rejected", sealedArgs: null });
  });

  test("a rule with allowEdit: false refuses edits (ERR_EDIT_FORBIDDEN); the page's view says not editable", async () => {
    let refused: unknown;
    let view: Data = {};
    await aliceCalls(url, "get-annotated-message", { messageType: "success" }, async (id) => {
      view = (await api(url, "GET", `/api/approvals/${id}`)).json;
      const r = await edit(url, id, { reason: "quieter", arguments: { messageType: "debug" } });
      refused = { status: r.status, code: codeOf(r) };
      await api(url, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "test over" });
    });
    expect(refused).toEqual({ status: 403, code: "ERR_EDIT_FORBIDDEN" });
    expect(view.editable).toBe(false);
  });

  test("N-of-M: an edit resets the approvals collected; the editor's approval is the first of the edited call", async () => {
    const steps: Data[] = [];
    const held = await aliceCalls(url, "get-sum", { a: 1, b: 2 }, async (id) => {
      steps.push((await api(url, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok" })).json);
      steps.push((await edit(url, id, { reason: "the right operand", arguments: { b: 40 } }, "carol")).json);
      steps.push((await api(url, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "edited is ok" })).json);
    });
    expect(steps[0]).toMatchObject({ status: "pending", approvals: [{ username: "bob@gatehouse.local" }] });
    expect(steps[1]).toMatchObject({ status: "pending", approvals: [{ username: "carol@gatehouse.local" }] });
    expect((steps[1].approvals as unknown[]).length).toBe(1);
    expect(steps[2]).toMatchObject({ status: "approved" });
    expect((steps[2].approvals as unknown[]).length).toBe(2);
    // 1 + 40: the upstream ran the edited call.
    expect(textOf(held.result)).toContain("41");
    expect(metaOf(held.result)).toMatchObject({ by: "carol@gatehouse.local" });
  });

  test("an edit carrying a masked placeholder is refused: the placeholder would run as the value", async () => {
    const steps: { status: number; json: Data }[] = [];
    await aliceCalls(url, "echo", { message: `pay ${CARD}` }, async (id) => {
      steps.push(
        await edit(url, id, { reason: "kept the card", arguments: { message: "pay [REDACTED:credit_card:…1111]" } }),
      );
      steps.push(await api(url, "POST", `/api/approvals/${id}/reject`, "bob", { reason: "done" }));
    });
    expect(steps[0].status).toBe(400);
    expect(codeOf(steps[0])).toBe("ERR_EDIT_INVALID");
    expect(steps[1].json).toMatchObject({ status: "rejected", edit: null });
  });

  test("an approval names the arguments its approver reviewed: after another approver's edit it is refused (409), then taken on the edited call", async () => {
    const steps: { status: number; json: Data }[] = [];
    const held = await aliceCalls(url, "get-sum", { a: 2, b: 3 }, async (id) => {
      // bob reviews the call as it is now...
      const reviewed = String((await api(url, "GET", `/api/approvals/${id}`)).json.currentArgsHash);
      // ...carol edits it meanwhile (her approval is the first of the edited call)...
      steps.push(await edit(url, id, { reason: "the right operand", arguments: { b: 30 } }, "carol"));
      // ...so bob's approval of what he reviewed does not count toward the edited call.
      steps.push(await api(url, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok", argsHash: reviewed }));
      const current = String(steps[0].json.currentArgsHash);
      steps.push(await api(url, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok", argsHash: current }));
    });
    expect(steps[0].status).toBe(200);
    expect(steps[0].json.currentArgsHash).not.toBe(steps[0].json.argsHash);
    expect(steps[1].status).toBe(409);
    expect(codeOf(steps[1])).toBe("ERR_APPROVAL_CONFLICT");
    expect(steps[2].json).toMatchObject({ status: "approved" });
    expect(textOf(held.result)).toContain("32");
  });

  test("a retry of the original call after the client gave up runs the edited call once, and says so", async () => {
    const first = await aliceCalls(shortWaitUrl, "echo", { message: "original ask" }, async () => undefined);
    expect(((first.result as McpError).data as Data).code).toBe("ERR_APPROVAL_PENDING");
    const r = await edit(shortWaitUrl, first.approvalId, {
      reason: "narrowed",
      arguments: { message: "narrowed ask" },
    });
    expect(r.status).toBe(200);
    const retry = await aliceCalls(shortWaitUrl, "echo", { message: "original ask" }, async () => undefined);
    expect(retry.approvalId).toBe(""); // no new approval: the edited one was used
    expect(textOf(retry.result)).toContain("Echo: narrowed ask");
    expect(metaOf(retry.result)).toMatchObject({ by: "bob@gatehouse.local", reason: "narrowed" });
  });

  test("an upstream answering plain JSON: the retried edited call is answered with its result, not a 503", async () => {
    // No approval wait on the retry, so no SSE stream is open: the JSON answer is relayed as JSON.
    const first = await aliceCalls(shortWaitUrl, "note", { text: "original" }, async () => undefined, "notes");
    expect(((first.result as McpError).data as Data).code).toBe("ERR_APPROVAL_PENDING");
    const r = await edit(shortWaitUrl, first.approvalId, { reason: "narrowed", arguments: { text: "narrowed" } });
    expect(r.status).toBe(200);
    const retry = await aliceCalls(shortWaitUrl, "note", { text: "original" }, async () => undefined, "notes");
    expect(retry.approvalId).toBe("");
    expect(textOf(retry.result)).toContain("Noted: narrowed");
    expect(metaOf(retry.result)).toMatchObject({ by: "bob@gatehouse.local", reason: "narrowed" });
  });

  test("the audit trail of an edit keeps masked values only (arguments and reason)", async () => {
    const held = await aliceCalls(url, "echo", { message: "pay card 4000 0000 0000 0002" }, async (id) => {
      await edit(url, id, { reason: `card ${REASON_CARD} was wrong`, arguments: { message: `pay card ${CARD}` } });
    });
    // Masking is audit-only here: the echo proves the upstream received the unmasked edited value.
    expect(textOf(held.result)).toContain(`Echo: pay card ${CARD}`);
    const trail = await readAuditTrail({ blobService: h.blobService });
    const records = [...trail.chains.values()].flat().filter((rec) => JSON.stringify(rec).includes(held.approvalId));
    const edits = records.filter((rec) => rec.kind === "approval.decided" && (rec.details as Data).action === "edit");
    expect(edits).toHaveLength(1);
    expect(edits[0].details).toMatchObject({ editedArgsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const editedHash = (edits[0].details as Data).editedArgsHash;
    // The consumption names the edited hash; the forwarded call's request record has the edited arguments, masked.
    expect(records.find((rec) => rec.kind === "approval.consumed")?.details).toMatchObject({
      edit: { editedArgsHash: editedHash },
    });
    const forwarded = records.find((rec) => rec.kind === "mcp.request" && rec.decision.outcome === "allowed");
    expect(JSON.stringify(forwarded?.action.arguments)).toMatch(/pay card .*1111/);
    const text = JSON.stringify(records);
    for (const secret of [CARD, CARD.replace(/ /g, ""), REASON_CARD, REASON_CARD.replace(/ /g, "")])
      expect(text).not.toContain(secret);
    expect(text).toContain("1111"); // last four, as the policy's style says
  });
});

describe("edit, then approve (CLI)", () => {
  test("gatehouse approvals edit <id> --set <json> --reason: approved with the edit; refusals exit 1 with the code", async () => {
    let ok: { code: number; stdout: string; stderr: string } | null = null;
    let usage: { code: number; stderr: string } | null = null;
    let refused: { code: number; stderr: string } | null = null;
    let json: Data = {};
    const held = await aliceCalls(url, "echo", { message: "from the terminal" }, async (id) => {
      usage = await cli(url, ["edit", id, "--set", '{"message":"x"}']);
      refused = await cli(url, ["edit", id, "--set", '{"message":7}', "--reason", "numbers"]);
      ok = await cli(url, [
        "edit",
        id,
        "--set",
        '{"message":"edited at the terminal"}',
        "--reason",
        "tidier",
        "--json",
      ]);
      json = JSON.parse(ok.stdout) as Data;
    });
    expect(usage!.code).toBe(2);
    expect(refused!.code).toBe(1);
    expect(refused!.stderr).toContain("ERR_EDIT_INVALID");
    expect(ok!.code).toBe(0);
    expect(json).toMatchObject({ status: "approved", edit: { reason: "tidier" } });
    expect(textOf(held.result)).toContain("Echo: edited at the terminal");
    const shown = await cli(url, ["show", held.approvalId]);
    expect(shown.stdout).toMatch(/edited by\s+bob@gatehouse\.local/);
  });

  test("approvals approve --args-hash: the hash `show` printed; refused (exit 1) once another approver edited the call", async () => {
    let stale: { code: number; stderr: string } | null = null;
    let fresh: { code: number; stdout: string } | null = null;
    const held = await aliceCalls(url, "get-sum", { a: 4, b: 5 }, async (id) => {
      const shown = await cli(url, ["show", id]);
      const reviewed = /args hash\s+([0-9a-f]{64})/.exec(shown.stdout)?.[1] ?? "";
      await edit(url, id, { reason: "the right operand", arguments: { b: 50 } }, "carol");
      stale = await cli(url, ["approve", id, "--reason", "ok", "--args-hash", reviewed]);
      const now = /args hash\s+([0-9a-f]{64})/.exec((await cli(url, ["show", id])).stdout)?.[1] ?? "";
      fresh = await cli(url, ["approve", id, "--reason", "ok", "--args-hash", now]);
    });
    expect(stale!.code).toBe(1);
    expect(stale!.stderr).toContain("ERR_APPROVAL_CONFLICT");
    expect(fresh!.code).toBe(0);
    expect(textOf(held.result)).toContain("54");
  });
});

/** bob's page session on `base`, signed in through the local issuer (no browser: the same HTTP exchange). */
async function pageSession(base: string): Promise<string> {
  const cookieOf = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`) && !c.startsWith(`${name}=;`))
      ?.split(";")[0] ?? "";
  const login = await fetch(`${base}/approvals/login?login_hint=bob`, { redirect: "manual" });
  const authorize = await fetch(login.headers.get("location")!, { redirect: "manual" });
  const callback = await fetch(authorize.headers.get("location")!, {
    redirect: "manual",
    headers: { cookie: cookieOf(login, "gh_approvals_login") },
  });
  return cookieOf(callback, "gh_approver");
}

describe("edit, then approve (the page's form, without JavaScript)", () => {
  test("a masked argument left as shown keeps its original value; a changed one takes the typed value", async () => {
    let shownB = "";
    let landed = "";
    const held = await aliceCalls(url, "get-sum", { a: 1, b: 2 }, async (id) => {
      const cookie = await pageSession(url);
      const html = await (await fetch(`${url}/approvals/${id}`, { headers: { cookie } })).text();
      const field = (name: string) =>
        html.match(new RegExp(`name="arg\\.${name}" value="([^"]*)"`))?.[1].replace(/&quot;/g, '"') ?? "";
      const csrf = html.match(/name="csrf" value="([^"]+)"/)![1];
      shownB = field("b");
      const res = await fetch(`${url}/approvals/${id}/edit`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, origin: url, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf, "arg.a": "5", "arg.b": shownB, reason: "five, as the ticket says" }),
      });
      landed = res.headers.get("location") ?? "";
      // The rule needs two approvers: bob's edit counts as the first, carol's approval as the second.
      await api(url, "POST", `/api/approvals/${id}/approve`, "carol", { reason: "fine" });
    });
    expect(shownB).not.toBe("2"); // masked on the page: the approver never sees it
    expect(shownB).toMatch(/REDACTED/);
    expect(landed).toMatch(/edited=1$/);
    // 5 + the original, unseen 2.
    expect(textOf(held.result)).toContain("7");
    expect(metaOf(held.result)).toMatchObject({ by: "bob@gatehouse.local" });
  });
});
