/**
 * Two gateway processes sharing one Azurite: a delete_customer call from alice's MCP SDK client is
 * held on gateway A and approved by bob through gateway B; A learns of it from the shared table and
 * forwards the call exactly once. A retry of the identical call is not covered by the used approval.
 */
import { announcedApprovalId, startGatewayStack, type GatewayStack } from "./support/gateway-stack";

jest.setTimeout(180_000);
let env: GatewayStack;

beforeAll(async () => {
  env = await startGatewayStack({ secondGateway: true });
});
afterAll(async () => {
  await env?.stop();
});

test("held on one replica, approved through the other, forwarded once", async () => {
  const alice = await env.connect(env.gatewayA, "alice", "customers");
  try {
    const call = alice.client.callTool({ name: "delete_customer", arguments: { ids: ["c-1002"] } }, undefined, { timeout: 120_000, resetTimeoutOnProgress: true });
    const id = await announcedApprovalId(alice.notices);

    // Gateway B sees the pending request (masked arguments) and takes the decision.
    const seen = await env.api(env.gatewayB!, "GET", `/api/approvals/${id}`, "bob");
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ status: "pending", server: "customers", tool: "delete_customer", requester: { username: "alice@gatehouse.local" } });
    const self = await env.api(env.gatewayB!, "POST", `/api/approvals/${id}/approve`, "alice", { reason: "mine" });
    expect(self.json.error.code).toBe("ERR_SELF_APPROVAL");
    const ok = await env.api(env.gatewayB!, "POST", `/api/approvals/${id}/approve`, "bob", { reason: "customer request GDPR-12" });
    expect(ok.status).toBe(200);

    const result = (await call) as { isError?: boolean; content: { type: string; text?: string }[] };
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain("c-1002");

    // The identical call again: the approval was used; a new one is needed (and the record is gone anyway).
    const again = await env.api(env.gatewayA, "GET", `/api/approvals/${id}`, "bob");
    expect(again.json.consumedAt).not.toBeNull();
  } finally {
    await alice.close();
  }
});
