/**
 * `gatehouse approvals list|approve|reject` through the built CLI (node bin/gatehouse.js) against
 * the approvals API on real components. Run `npm run build` first (npm test does).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { DEMO } from "../../../dev/local-issuer-launcher";
import { startApprovalsStack, type ApprovalsStack } from "./support/approvals-stack";

const run = promisify(execFile);
const bin = path.join(__dirname, "..", "..", "..", "bin", "gatehouse.js");
let stack: ApprovalsStack;
// Each CLI run is a fresh Node process loading every command: slow on a busy 2-core machine.
jest.setTimeout(120_000);

beforeAll(async () => {
  stack = await startApprovalsStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, GATEHOUSE_URL: stack.url, ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

test("an approver lists, approves with a reason and the requester cannot approve their own request", async () => {
  // The call waits briefly and times out; the approval given through the CLI then covers the
  // identical retry (a CLI run is a slow new process on a busy machine: nothing waits on it).
  const request = () =>
    stack.coordinator.requestAndWait({
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
      args: { id: "cli-1" },
      maskedArgs: { id: "cli-1" },
      rule: {
        id: "delete-customer",
        description: "",
        servers: ["customers"],
        tools: ["delete_customer"],
        when: [],
        approvers: { roles: ["Approver"], groups: [] },
        count: 1,
        expiresAfterSeconds: 600,
      },
      correlationId: randomUUID(),
      signal: new AbortController().signal,
      maxWaitMs: 300,
    });
  const first = await request();
  expect(first.outcome).toBe("timeout");
  const id = first.approvalId;
  const bob = await stack.token("bob");
  const alice = await stack.token("alice");

  const list = await cli(["approvals", "list", "--json"], { GATEHOUSE_TOKEN: bob });
  expect({ code: list.code, stderr: list.stderr }).toEqual({ code: 0, stderr: "" });
  expect(JSON.parse(list.stdout).map((a: { id: string }) => a.id)).toContain(id);

  const self = await cli(["approvals", "approve", id, "--reason", "mine", "--token", alice]);
  expect(self.code).toBe(1);
  expect(self.stderr).toContain("ERR_SELF_APPROVAL");

  const ok = await cli([
    "approvals",
    "approve",
    id,
    "--reason",
    "change CHG-9",
    "--json",
    "--gateway",
    stack.url,
    "--token",
    bob,
  ]);
  expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: "" });
  expect(JSON.parse(ok.stdout)).toMatchObject({ id, status: "approved" });
  expect(await request()).toMatchObject({ outcome: "approved", approvalId: id });
});

test("usage errors exit 2, a refused token exits 1 with its code, an unreachable gateway exits 3", async () => {
  expect((await cli(["approvals", "list"], { GATEHOUSE_TOKEN: "" })).code).toBe(2);
  const refused = await cli(["approvals", "list", "--token", "not-a-jwt"]);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/ERR_AUTH_\w+/);
  const down = await cli(["approvals", "list", "--gateway", "http://127.0.0.1:9", "--token", "x"]);
  expect(down.code).toBe(3);
});
