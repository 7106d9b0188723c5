/**
 * The approval rules end to end on real components: Azurite tables and audit chain, the local
 * OIDC issuer's tokens through the gateway's bearer auth, the REST API and the coordinator.
 */
import { randomUUID } from "node:crypto";
import { DEMO } from "../../../dev/local-issuer-launcher";
import type { ApprovalRule } from "../../../runtime/core/policy-model/schema";
import type { Identity } from "../../../runtime/core/identity";
import { startApprovalsStack, type ApprovalsStack } from "./support/approvals-stack";

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
const rule = (over: Partial<ApprovalRule> = {}): ApprovalRule => ({
  id: "delete-customer",
  description: "deleting a customer needs an approver",
  servers: ["customers"],
  tools: ["delete_customer"],
  when: [],
  approvers: { roles: ["Approver"], groups: [] },
  count: 1,
  expiresAfterSeconds: 600,
  ...over,
});

let stack: ApprovalsStack;
beforeAll(async () => {
  stack = await startApprovalsStack();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  stack.clock.offsetMs = 0;
});

/** Starts a held call and resolves its pending approval id as soon as the record exists. */
function hold(args: unknown, r: ApprovalRule = rule(), maxWaitMs = 20_000) {
  let resolvePending!: (id: string) => void;
  const pending = new Promise<string>((res) => (resolvePending = res));
  const outcome = stack.coordinator.requestAndWait({
    identity: alice,
    server: "customers",
    tool: "delete_customer",
    args,
    maskedArgs: { id: "[masked]" },
    rule: r,
    correlationId: randomUUID(),
    signal: new AbortController().signal,
    maxWaitMs,
    onPending: (p) => resolvePending(p.approvalId),
  });
  return { pending, outcome };
}

test("an approval by an Approver releases the held call once, with the decision and reason audited", async () => {
  const call = hold({ id: "c-1" });
  const id = await call.pending;
  const listed = await stack.api("GET", "/api/approvals?status=pending", "bob");
  expect(listed.status).toBe(200);
  expect(listed.json.approvals.map((a: { id: string }) => a.id)).toContain(id);
  expect(listed.json.approvals.find((a: { id: string }) => a.id === id).arguments).toEqual({ id: "[masked]" });

  const approved = await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "ticket CHG-1" });
  expect(approved.status).toBe(200);
  const result = await call.outcome;
  expect(result).toMatchObject({ outcome: "approved", approvalId: id, approvers: [{ oid: DEMO.users.bob.oid }] });

  const records = (await stack.auditRecords()).filter((r) => r.decision.approvalId === id);
  expect(records.map((r) => r.kind)).toEqual(["approval.requested", "approval.decided", "approval.consumed"]);
  const decided = records[1];
  expect(decided.actor.oid).toBe(DEMO.users.bob.oid);
  expect(decided.decision.reason).toBe("ticket CHG-1");
  expect(decided.decision.outcome).toBe("approval_approved");
});

test("nobody approves their own request", async () => {
  const call = hold({ id: "c-self" }, rule({ approvers: { roles: ["Engineer", "Approver"], groups: [] } }), 1500);
  const id = await call.pending;
  const self = await stack.api("POST", `/api/approvals/${id}/approve`, "alice", { reason: "mine" });
  expect(self.status).toBe(403);
  expect(self.json.error.code).toBe("ERR_SELF_APPROVAL");
  expect((await call.outcome).outcome).toBe("timeout");
});

test("the approver must hold the rule's role in the token presented now", async () => {
  const call = hold({ id: "c-role" }, rule(), 1500);
  const id = await call.pending;
  const carol = await stack.api("POST", `/api/approvals/${id}/approve`, "carol", { reason: "not mine to approve" });
  expect(carol.status).toBe(403);
  expect(carol.json.error.code).toBe("ERR_NOT_APPROVER");
  // bob, but with a token that no longer carries his Approver role
  const bobNoRole = await stack.api(
    "POST",
    `/api/approvals/${id}/approve`,
    "bob",
    { reason: "x" },
    { omit_roles: "true" },
  );
  expect(bobNoRole.status).toBe(403);
  expect(bobNoRole.json.error.code).toBe("ERR_NOT_APPROVER");
  expect((await call.outcome).outcome).toBe("timeout");
  expect((await stack.api("GET", `/api/approvals/${id}`, "bob")).json.status).toBe("pending");
});

test("an approval is used at most once: a replayed identical call waits for a new approval", async () => {
  const first = hold({ id: "c-replay" });
  const id = await first.pending;
  await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "ok" });
  expect((await first.outcome).outcome).toBe("approved");

  const again = await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "again" });
  expect(again.status).toBe(409);
  const replay = hold({ id: "c-replay" }, rule(), 1200);
  const replayId = await replay.pending;
  expect(replayId).not.toBe(id);
  expect(await replay.outcome).toMatchObject({ outcome: "timeout", approvalId: replayId });
});

test("after a timeout the identical call proceeds once approved; a call with other arguments is not covered", async () => {
  const first = hold({ id: "c-2", hard: true }, rule(), 800);
  const id = await first.pending;
  expect(await first.outcome).toMatchObject({ outcome: "timeout", approvalId: id });
  expect(
    (await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "approved after the wait" })).status,
  ).toBe(200);

  const other = hold({ id: "c-3", hard: true }, rule(), 800); // different arguments
  expect(await other.pending).not.toBe(id);
  expect((await other.outcome).outcome).toBe("timeout");

  const reordered = hold({ hard: true, id: "c-2" }, rule(), 800); // same arguments, canonical JSON ignores key order
  expect(await reordered.outcome).toMatchObject({ outcome: "approved", approvalId: id });
  const thirdTry = hold({ id: "c-2", hard: true }, rule(), 800);
  expect(await thirdTry.pending).not.toBe(id);
});

test("expiry means deny, for the waiting call and for a late approver", async () => {
  const call = hold({ id: "c-exp" }, rule({ expiresAfterSeconds: 30 }), 20_000);
  const id = await call.pending;
  stack.clock.offsetMs = 31_000;
  expect(await call.outcome).toMatchObject({ outcome: "expired", approvalId: id });
  const late = await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "too late" });
  expect(late.status).toBe(410);
  expect(late.json.error.code).toBe("ERR_APPROVAL_EXPIRED");
  const kinds = (await stack.auditRecords()).filter((r) => r.decision.approvalId === id).map((r) => r.kind);
  expect(kinds).toEqual(["approval.requested", "approval.expired"]);
});

test("two approvers racing produce exactly one decision and one execution", async () => {
  const r = rule({ approvers: { roles: ["Approver", "Auditor"], groups: [] } });
  let executions = 0;
  const call = hold({ id: "c-race" }, r);
  const id = await call.pending;
  const [a, b] = await Promise.all([
    stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "bob" }),
    stack.api("POST", `/api/approvals/${id}/approve`, "carol", { reason: "carol" }),
  ]);
  expect([a.status, b.status].sort()).toEqual([200, 409]);
  if ((await call.outcome).outcome === "approved") executions++;
  // A concurrent identical retry finds nothing left to use.
  const retry = hold({ id: "c-race" }, r, 600);
  if ((await retry.outcome).outcome === "approved") executions++;
  expect(executions).toBe(1);
  const decided = (await stack.auditRecords()).filter(
    (x) => x.decision.approvalId === id && x.kind === "approval.decided",
  );
  expect(decided).toHaveLength(1);
});

test("N distinct approvers when the rule says N", async () => {
  const r = rule({ approvers: { roles: ["Approver", "Auditor"], groups: [] }, count: 2 });
  const call = hold({ id: "c-two" }, r);
  const id = await call.pending;
  expect((await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "one" })).json.status).toBe(
    "pending",
  );
  const twice = await stack.api("POST", `/api/approvals/${id}/approve`, "bob", { reason: "one again" });
  expect(twice.status).toBe(409);
  const second = await stack.api("POST", `/api/approvals/${id}/approve`, "carol", { reason: "two" });
  expect(second.json.status).toBe("approved");
  const out = await call.outcome;
  expect(out.outcome).toBe("approved");
  expect(out.approvers.map((p) => p.oid).sort()).toEqual([DEMO.users.bob.oid, DEMO.users.carol.oid].sort());
});

test("a rejection needs a reason and ends the held call with it", async () => {
  const call = hold({ id: "c-rej" });
  const id = await call.pending;
  const noReason = await stack.api("POST", `/api/approvals/${id}/reject`, "bob", {});
  expect(noReason.status).toBe(400);
  expect(
    (await stack.api("POST", `/api/approvals/${id}/reject`, "bob", { reason: "not during the freeze" })).status,
  ).toBe(200);
  expect(await call.outcome).toMatchObject({
    outcome: "rejected",
    reason: "not during the freeze",
    approvers: [{ oid: DEMO.users.bob.oid }],
  });
});

test("the API requires a bearer token and hides other people's requests (Auditors read them, never decide)", async () => {
  expect((await stack.api("GET", "/api/approvals", null)).status).toBe(401);
  const call = hold({ id: "c-hidden" }, rule(), 800);
  const id = await call.pending;
  // issue 19: carol (Auditor) reads every request but cannot decide any.
  expect((await stack.api("GET", `/api/approvals/${id}`, "carol")).status).toBe(200);
  expect(
    (await stack.api("POST", `/api/approvals/${id}/approve`, "carol", { reason: "auditing" })).json.error.code,
  ).toBe("ERR_NOT_APPROVER");
  // Someone who is neither requester, approver nor Auditor still cannot tell the id exists.
  expect((await stack.api("GET", `/api/approvals/${id}`, "carol", undefined, { omit_roles: "true" })).status).toBe(404);
  expect((await stack.api("GET", `/api/approvals/${id}`, "alice")).status).toBe(200);
  await call.outcome;
});
