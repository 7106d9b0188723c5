/**
 * `gatehouse approvals list|show|deny` (issue 19, item 7) through the built CLI against the
 * approvals API on real components (the approvals tests' stack: Azurite, the local issuer, the
 * gateway's bearer auth). Run `npm run build` first (npm test does).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { DEMO } from "../../../../dev/local-issuer-launcher";
import { repoRoot } from "../../../../runtime/core/repo-root";
import { startApprovalsStack, type ApprovalsStack } from "../../approvals/support/approvals-stack";
import { ToolCatalog } from "../../../../runtime/core/approvals/tool-catalog";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
let stack: ApprovalsStack;
// Each CLI run is a fresh Node process loading every command: slow on a busy 2-core machine.
jest.setTimeout(120_000);

beforeAll(async () => {
  stack = await startApprovalsStack();
});
afterAll(async () => {
  await stack?.stop();
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot(), "bin", "gatehouse.js"), ...args],
      { env: { ...process.env, GATEHOUSE_URL: stack.url, ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A held delete by alice whose wait times out at once: the request stays pending. */
async function pendingRequest(rawSsn: string): Promise<string> {
  const r = await stack.coordinator.requestAndWait({
    identity: {
      oid: DEMO.users.alice.oid,
      tenantId: DEMO.tenantId,
      username: DEMO.users.alice.username,
      roles: ["Engineer"],
      groups: [],
      groupsOverage: false,
      via: "entra",
      jit: null,
    },
    server: "customers",
    tool: "delete_customer",
    args: { id: "c-1003", ssn: rawSsn },
    maskedArgs: { id: "c-1003", ssn: "[REDACTED:us_ssn]" },
    rule: {
      id: "delete-customer",
      description: "deleting a customer needs an approver",
      servers: ["customers"],
      tools: ["delete_customer"],
      when: [],
      approvers: { roles: ["Approver"], groups: [] },
      count: 1,
      expiresAfterSeconds: 600,
    },
    correlationId: randomUUID(),
    signal: new AbortController().signal,
    maxWaitMs: 50,
  });
  expect(r.outcome).toBe("timeout");
  return r.approvalId;
}

test("list shows masked arguments, requester, age and expiry; show --json carries every field of the API", async () => {
  const id = await pendingRequest("123-45-6789");
  const bob = await stack.token("bob");
  const list = await cli(["approvals", "list"], { GATEHOUSE_TOKEN: bob });
  expect({ code: list.code, stderr: list.stderr }).toEqual({ code: 0, stderr: "" });
  const entry = list.stdout.split(/\n(?=\S)/).find((e) => e.startsWith(id))!;
  expect(entry).toContain(`by ${DEMO.users.alice.username}`);
  expect(entry).toMatch(/requested .*ago/);
  expect(entry).toMatch(/expires in \d+ min/);
  expect(entry).toContain('arguments (masked): {"id":"c-1003","ssn":"[REDACTED:us_ssn]"}');
  expect(list.stdout).not.toContain("123-45-6789");

  const api = await stack.api("GET", `/api/approvals/${id}`, "bob");
  const shown = await cli(["approvals", "show", id, "--json", "--token", bob]);
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.stdout)).toEqual(api.json);
  expect(Object.keys(JSON.parse(shown.stdout))).toEqual(
    expect.arrayContaining(["createdAt", "decidedAt", "rejectedBy", "argsHash", "consumedAt", "approvers"]),
  );
  const listed = await cli(["approvals", "list", "--json", "--token", bob]);
  expect(JSON.parse(listed.stdout).find((a: { id: string }) => a.id === id)).toEqual(api.json);
});

test("deny is reject: it needs a reason, records who rejected, and the requester sees the outcome with show", async () => {
  const id = await pendingRequest("987-65-4321");
  const bob = await stack.token("bob");
  const alice = await stack.token("alice");
  const noReason = await cli(["approvals", "deny", id, "--token", bob]);
  expect(noReason.code).toBe(2);
  const denied = await cli(["approvals", "deny", id, "--reason", "not during the freeze", "--json", "--token", bob]);
  expect({ code: denied.code, stderr: denied.stderr }).toEqual({ code: 0, stderr: "" });
  expect(JSON.parse(denied.stdout)).toMatchObject({
    id,
    status: "rejected",
    rejectedBy: { username: DEMO.users.bob.username, reason: "not during the freeze" },
  });
  // The requester, whose client gave up waiting, reads the outcome.
  const shown = await cli(["approvals", "show", id, "--token", alice]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/status\s+rejected/);
  expect(shown.stdout).toMatch(
    new RegExp(`rejected by\\s+${DEMO.users.bob.username.replace(/\./g, "\\.")} .*: not during the freeze`),
  );
  expect(shown.stdout).not.toContain("987-65-4321");
});

test("show: a malformed id is a usage error (2); an unknown one is refused by the gateway with its code (1)", async () => {
  const bob = await stack.token("bob");
  expect((await cli(["approvals", "show", "nope", "--token", bob])).code).toBe(2);
  const unknown = await cli(["approvals", "show", randomUUID(), "--token", bob]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain("ERR_APPROVAL_NOT_FOUND");
  const help = await cli(["approvals", "--help"]);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/show \[options\] <id>/);
  expect(help.stdout).toMatch(/reject\|deny/);
});

describe("an irreversible request", () => {
  let destructive: ApprovalsStack;
  beforeAll(async () => {
    const tools = new ToolCatalog();
    tools.remember("customers", [
      { name: "delete_customer", description: "Deletes customers", annotations: { destructiveHint: true } },
    ]);
    destructive = await startApprovalsStack({ tools });
  });
  afterAll(async () => {
    await destructive?.stop();
  });

  test("approve is refused without --confirm-irreversible, says what to do, and succeeds with it", async () => {
    const r = await destructive.coordinator.requestAndWait({
      identity: {
        oid: DEMO.users.alice.oid,
        tenantId: DEMO.tenantId,
        username: DEMO.users.alice.username,
        roles: ["Engineer"],
        groups: [],
        groupsOverage: false,
        via: "entra",
        jit: null,
      },
      server: "customers",
      tool: "delete_customer",
      args: { ids: ["c-1003"] },
      maskedArgs: { ids: ["c-1003"] },
      rule: {
        id: "delete-customer",
        description: "deleting a customer needs an approver",
        servers: ["customers"],
        tools: ["delete_customer"],
        when: [],
        approvers: { roles: ["Approver"], groups: [] },
        count: 1,
        expiresAfterSeconds: 600,
      },
      correlationId: randomUUID(),
      signal: new AbortController().signal,
      maxWaitMs: 50,
    });
    const env = { GATEHOUSE_URL: destructive.url, GATEHOUSE_TOKEN: await destructive.token("bob") };
    const refused = await cli(["approvals", "approve", r.approvalId, "--reason", "ticket 4431"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("ERR_CONFIRMATION_REQUIRED");
    expect(refused.stderr).toContain("--confirm-irreversible");
    const approved = await cli(
      ["approvals", "approve", r.approvalId, "--reason", "ticket 4431", "--confirm-irreversible", "--json"],
      env,
    );
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ id: r.approvalId, status: "approved" });
  });
});
