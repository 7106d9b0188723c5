/**
 * The README walkthrough, end to end, against `npm run dev`'s stack (dist/dev/stack.js) in a
 * temporary GATEHOUSE_HOME on free ports: token, filtered tool list, masked records, a delete
 * held for approval and approved by bob through the REST API (the browser step is the approvals
 * suite's Chromium test), the held call completing, `audit verify`, an evidence package, Ctrl-C,
 * and a start after a crash.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { launch, type LaunchedProcess } from "../../dev/process-launcher";
import { readLocalStack, type LocalStack } from "../../runtime/core/local-stack-file";
import {
  callToolWaiting,
  connectThroughGateway,
  resultText,
  type GatewayClient,
} from "../../dev/walkthrough/gateway-client";
import { cmdlineOf, readPids } from "../../dev/stack/stack-pids";
import { repoRoot } from "../../runtime/core/repo-root";

jest.setTimeout(180_000);

const root = repoRoot();
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function startStack(home: string): Promise<LaunchedProcess> {
  return launch({
    name: "npm run dev",
    command: process.execPath,
    args: [path.join(root, "dist", "dev", "stack.js")],
    cwd: root,
    env: { ...process.env, GATEHOUSE_HOME: home, GATEHOUSE_PORT: "0", GATEHOUSE_DEV_QUIET: "1", NODE_ENV: "" },
    ready: /^gatehouse dev stack ready/,
    // The bar: "ready" well within 60 s on a fresh clone.
    timeoutMs: 60_000,
  });
}

const alive = (pid: number, cmdline: string): boolean => cmdlineOf(pid) === cmdline;

describe("walkthrough against the local stack (npm run dev)", () => {
  let home: string;
  let stack: LaunchedProcess | null = null;
  let info: LocalStack;
  // As the banner says for a non-default GATEHOUSE_HOME; naming the store also keeps a developer's
  // own running stack (in <repo>/.gatehouse) out of this test.
  const env = (): NodeJS.ProcessEnv => ({
    GATEHOUSE_HOME: home,
    GATEHOUSE_STORAGE_CONNECTION_STRING: readLocalStack(home)?.storageConnectionString ?? "",
  });
  const cli = (...args: string[]): Promise<Run> => run([path.join(root, "bin", "gatehouse.js"), ...args], env());
  const clients: GatewayClient[] = [];

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gh-walkthrough-"));
    stack = await startStack(home);
    info = readLocalStack(home)!;
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await stack?.stop(15_000);
    // Whatever the crash test left behind.
    for (const c of readPids(home)?.children ?? []) if (alive(c.pid, c.cmdline)) process.kill(c.pid, "SIGKILL");
    fs.rmSync(home, { recursive: true, force: true });
  });

  let aliceToken: string;
  test("the stack records where it runs, all on loopback, and prints the walkthrough", () => {
    expect(info).not.toBeNull();
    for (const u of [info.gatewayUrl, info.issuerUrl, info.agentUrl, info.blobEndpoint, info.tableEndpoint])
      expect(new URL(u).hostname).toBe("127.0.0.1");
    expect(info.approvalsUrl).toBe(`${info.gatewayUrl}/approvals`);
    expect(Object.keys(info.mcpUrls).sort()).toEqual(["customers", "files"]);
    expect(stack!.output()).toContain(`${info.approvalsUrl}`);
    expect(stack!.output()).toContain("walkthrough-client.js call customers delete_customer");
    expect(stack!.output()).toContain(`export GATEHOUSE_HOME=${home}`);
  });

  test("step 1: `gatehouse token alice` prints alice's token from the local issuer", async () => {
    const r = await cli("token", "alice");
    expect(r.code).toBe(0);
    aliceToken = r.stdout.trim();
    expect(decodeJwt(aliceToken)).toMatchObject({
      iss: info.issuerUrl,
      preferred_username: "alice@gatehouse.local",
      roles: ["Engineer"],
    });
  });

  test("step 2: alice's tool lists are filtered by policy; carol (Auditor) reaches no server", async () => {
    const customers = await connectThroughGateway({
      gatewayUrl: info.gatewayUrl,
      server: "customers",
      token: aliceToken,
    });
    clients.push(customers);
    expect((await customers.client.listTools()).tools.map((t) => t.name).sort()).toEqual([
      "delete_customer",
      "get_customer",
      "list_customers",
    ]);
    const files = await connectThroughGateway({ gatewayUrl: info.gatewayUrl, server: "files", token: aliceToken });
    clients.push(files);
    const fileTools = (await files.client.listTools()).tools.map((t) => t.name);
    expect(fileTools).toContain("read_text_file");
    expect(fileTools).not.toContain("write_file"); // denied for standing access (JIT only)
    const carol = (await cli("token", "carol")).stdout.trim();
    await expect(
      connectThroughGateway({ gatewayUrl: info.gatewayUrl, server: "customers", token: carol }),
    ).rejects.toThrow();
    // The README's command does the same through the SDK.
    const listed = await run([path.join(root, "dist", "dev", "walkthrough-client.js"), "tools"], env());
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("list_customers");
  });

  test("step 3: customer records come back masked (no card number, SSN or e-mail)", async () => {
    const c = clients[0];
    const text = resultText((await c.client.callTool({ name: "list_customers", arguments: {} })) as CallToolResult);
    expect(text).toContain("Ada Lovelace");
    expect(text).not.toMatch(/\b(?:\d[ -]?){13,19}\b/);
    expect(text).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/);
    expect(text).not.toMatch(/[A-Za-z0-9._%+-]+@example\.(com|org|net)/);
  });

  test("step 4: a bulk delete is blocked by the guardrail", async () => {
    await expect(
      clients[0].client.callTool({ name: "delete_customer", arguments: { ids: ["c-1004", "c-1005"] } }),
    ).rejects.toThrow(/one record per call/);
  });

  test("steps 5-6: delete_customer is held for approval; bob approves; the held call completes", async () => {
    const bob = (await cli("token", "bob")).stdout.trim();
    const held = callToolWaiting(clients[0], "delete_customer", { ids: ["c-1003"] }, 2);
    type Approval = { id: string; status: string; tool: string; requester: { username: string } };
    let approval: Approval | undefined;
    for (let i = 0; i < 60 && !approval; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`${info.gatewayUrl}/api/approvals?status=pending`, {
        headers: { authorization: `Bearer ${bob}` },
      });
      expect(res.status).toBe(200);
      approval = ((await res.json()) as { approvals: Approval[] }).approvals.find(
        (a: Approval) => a.tool === "delete_customer",
      );
    }
    expect(approval).toMatchObject({ status: "pending", requester: { username: "alice@gatehouse.local" } });
    // alice cannot approve her own request
    const self = await fetch(`${info.gatewayUrl}/api/approvals/${approval!.id}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${aliceToken}`, "content-type": "application/json" },
      body: JSON.stringify({ reason: "mine" }),
    });
    expect(self.status).toBe(403);
    // delete_customer is destructive (its annotations, from the tools/list of step 2): approving it
    // needs the explicit confirmation the page's checkbox and the CLI's --confirm-irreversible send.
    const approve = (confirmIrreversible: boolean) =>
      fetch(`${info.gatewayUrl}/api/approvals/${approval!.id}/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${bob}`, "content-type": "application/json" },
        body: JSON.stringify({
          reason: "customer asked to be forgotten (ticket 4431)",
          ...(confirmIrreversible ? { confirmIrreversible } : {}),
        }),
      });
    const unconfirmed = await approve(false);
    expect([unconfirmed.status, ((await unconfirmed.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      "ERR_CONFIRMATION_REQUIRED",
    ]);
    const ok = await approve(true);
    expect(ok.status).toBe(200);
    const result = await held;
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(resultText(result))).toEqual({ deleted: ["c-1003"], notFound: [] });
    const gone = (await clients[0].client.callTool({
      name: "get_customer",
      arguments: { id: "c-1003" },
    })) as CallToolResult;
    expect(gone.isError).toBe(true);
  });

  test("step 7: `gatehouse audit verify` verifies every chain (exit 0)", async () => {
    const r = await cli("audit", "verify");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("step 8: `gatehouse evidence tool-calls` writes the auditor's package", async () => {
    const out = path.join(home, "evidence");
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const r = await cli("evidence", "tool-calls", "--from", from, "--to", to, "--out", out);
    expect({ code: r.code, output: r.stdout + r.stderr }).toMatchObject({ code: 0 });
    const files = fs.readdirSync(out);
    expect(files).toContain("manifest.json");
    expect(files.some((f) => f.endsWith(".zip"))).toBe(true);
    const csv = fs.readFileSync(
      path.join(
        out,
        files.find((f) => f.endsWith(".csv"))!,
      ),
      "utf8",
    );
    expect(csv).toContain("delete_customer");
    expect(csv).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/);
  });

  test("Ctrl-C stops everything; a start after a crash (kill -9) ends the leftovers and works", async () => {
    const first = readPids(home)!;
    stack!.child.kill("SIGKILL"); // a crash: children are orphaned
    await new Promise((r) => stack!.child.once("exit", r));
    expect(first.children.some((c) => alive(c.pid, c.cmdline))).toBe(true);
    stack = await startStack(home);
    expect(first.children.filter((c) => alive(c.pid, c.cmdline))).toEqual([]);
    expect(stack.output()).toMatch(/ended processes left by a previous run/);
    const again = readLocalStack(home)!;
    const minted = await cli("token", "alice");
    expect(minted.stderr).toBe("");
    const token = minted.stdout.trim();
    const c = await connectThroughGateway({ gatewayUrl: again.gatewayUrl, server: "customers", token });
    clients.push(c);
    // Azurite's data survived: the chain resumes and still verifies.
    expect((await c.client.listTools()).tools).toHaveLength(3);
    expect((await cli("audit", "verify")).code).toBe(0);

    const second = readPids(home)!;
    stack!.child.kill("SIGINT");
    await new Promise((r) => stack!.child.once("exit", r));
    stack = null;
    expect(second.children.filter((c) => alive(c.pid, c.cmdline))).toEqual([]);
    expect(fs.existsSync(path.join(home, "local-stack.json"))).toBe(false);
  });
});
