/**
 * Just-in-time sessions on real components: tokens from the local issuer through the gateway's
 * bearer auth, grants in Azurite, session tokens verified by the gateway's JIT verifier.
 */
import { decodeJwt } from "jose";
import { DEMO } from "../../../dev/local-issuer-launcher";
import { GrantStore } from "../../../runtime/core/approvals/grant-store";
import { JitTokenVerifier } from "../../../runtime/gateway/auth/jit-token-verifier";
import { startApprovalsStack, type ApprovalsStack } from "./support/approvals-stack";

let stack: ApprovalsStack;
beforeAll(async () => {
  stack = await startApprovalsStack({ jitApprovalWaitMs: 1000 });
});
afterAll(async () => {
  await stack?.stop();
});

test("an on-request rule issues a signed session token scoped to the server, capped at the rule's maximum", async () => {
  const res = await stack.api("POST", "/api/sessions", "alice", {
    server: "customers",
    minutes: 120,
    reason: "incident INC-42",
  });
  expect(res.status).toBe(201);
  expect(res.json).toMatchObject({ server: "customers", ruleId: "customers-jit", minutes: 30 });
  const claims = decodeJwt(res.json.token);
  expect(claims).toMatchObject({
    typ: "gatehouse-jit",
    grant: res.json.sessionId,
    server: "customers",
    rule: "customers-jit",
    oid: DEMO.users.alice.oid,
  });
  expect(claims.exp! - claims.iat!).toBe(30 * 60);

  const verifier = new JitTokenVerifier({
    publicJwk: await stack.signer.publicJwk(),
    isGrantRevoked: stack.grants.isGrantRevoked,
  });
  const identity = await verifier.verify(res.json.token);
  expect(identity).toMatchObject({
    via: "jit",
    jit: { grantId: res.json.sessionId, server: "customers", ruleId: "customers-jit" },
  });
  expect(
    stack.policy.decide(identity, "customers", { method: "tools/call", params: { name: "list_customers" } }).effect,
  ).toBe("allow");
  expect(stack.policy.decide(identity, "files", { method: "tools/call", params: { name: "read_file" } }).effect).toBe(
    "deny",
  );

  const granted = (await stack.auditRecords()).find(
    (r) => r.kind === "jit.granted" && r.session.jitGrantId === res.json.sessionId,
  );
  expect(granted?.decision.reason).toBe("incident INC-42");
  // the fields the evidence reports read (runtime/core/evidence/details-fields.ts)
  expect(granted?.details).toMatchObject({
    grantId: res.json.sessionId,
    ruleId: "customers-jit",
    server: "customers",
    minutes: 30,
    reason: "incident INC-42",
    requester: { oid: DEMO.users.alice.oid },
  });
});

test("revocation takes effect on another replica within seconds", async () => {
  const res = await stack.api("POST", "/api/sessions", "alice", {
    server: "customers",
    minutes: 10,
    reason: "debugging",
  });
  const replica = new GrantStore(stack.grants.table); // a second gateway replica's view of the same table
  const verifier = new JitTokenVerifier({
    publicJwk: await stack.signer.publicJwk(),
    isGrantRevoked: replica.isGrantRevoked,
  });
  await expect(verifier.verify(res.json.token)).resolves.toMatchObject({ via: "jit" });

  expect((await stack.api("DELETE", `/api/sessions/${res.json.sessionId}`, "carol")).status).toBe(403);
  const del = await stack.api("DELETE", `/api/sessions/${res.json.sessionId}`, "alice");
  expect(del.status).toBe(200);
  const deadline = Date.now() + 5000;
  let code: string | null = null;
  while (Date.now() < deadline && code === null) {
    code = await verifier.verify(res.json.token).then(
      () => null,
      (e: { code: string }) => e.code,
    );
    if (code === null) await new Promise((r) => setTimeout(r, 250));
  }
  expect(code).toBe("ERR_AUTH_REVOKED");
  // and through the gateway's bearer auth on this replica
  const viaSession = await fetch(`${stack.url}/api/sessions`, {
    headers: { authorization: `Bearer ${res.json.token}` },
  });
  expect(viaSession.status).toBe(401);
  const revoked = (await stack.auditRecords()).find(
    (r) => r.kind === "jit.revoked" && r.session.jitGrantId === res.json.sessionId,
  );
  expect(revoked?.actor.oid).toBe(DEMO.users.alice.oid);
});

test("anything outside a JIT rule is refused with 403 and audited", async () => {
  const res = await stack.api("POST", "/api/sessions", "carol", { server: "customers", minutes: 5, reason: "curious" });
  expect(res.status).toBe(403);
  expect(res.json.error.code).toBe("ERR_FORBIDDEN");
  const denied = (await stack.auditRecords()).filter(
    (r) => r.kind === "jit.denied" && r.actor.oid === DEMO.users.carol.oid,
  );
  expect(denied.length).toBeGreaterThan(0);
  expect((await stack.api("POST", "/api/sessions", "alice", { server: "customers", minutes: 5 })).status).toBe(400);
});

test("a session token cannot obtain another session", async () => {
  const res = await stack.api("POST", "/api/sessions", "alice", { server: "customers", minutes: 5, reason: "first" });
  const chained = await fetch(`${stack.url}/api/sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${res.json.token}`, "content-type": "application/json" },
    body: JSON.stringify({ server: "customers", minutes: 5, reason: "second" }),
  });
  expect(chained.status).toBe(403);
});

test("a rule with grant 'approval' goes through an approver; the repeated request then gets the session", async () => {
  const first = await stack.api("POST", "/api/sessions", "alice", {
    server: "files",
    minutes: 10,
    reason: "restore a file",
  });
  expect(first.status).toBe(202);
  const approvalId = first.json.approvalId;
  expect(
    (await stack.api("POST", `/api/approvals/${approvalId}/approve`, "alice", { reason: "self" })).json.error.code,
  ).toBe("ERR_SELF_APPROVAL");
  expect(
    (await stack.api("POST", `/api/approvals/${approvalId}/approve`, "bob", { reason: "ok for 10 minutes" })).status,
  ).toBe(200);
  const second = await stack.api("POST", "/api/sessions", "alice", {
    server: "files",
    minutes: 10,
    reason: "restore a file",
  });
  expect(second.status).toBe(201);
  expect(second.json).toMatchObject({ server: "files", ruleId: "files-jit", approvalId });
  // used once
  expect(
    (await stack.api("POST", "/api/sessions", "alice", { server: "files", minutes: 10, reason: "restore a file" }))
      .status,
  ).toBe(202);
});
