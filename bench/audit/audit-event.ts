import type { AuditEventInput } from "../../runtime/core/audit/record-schema";

/** A representative `mcp.request` record: masked arguments, a policy version, an Entra actor. */
export function sampleEvent(i: number): AuditEventInput {
  return {
    kind: "mcp.request",
    correlationId: `bench-${i}`,
    policyVersion: "a".repeat(64),
    actor: {
      oid: "a11ce000-0000-4000-8000-000000000001",
      tenantId: "7d3c5b8a-0000-4000-8000-00000000a11c",
      username: "alice@gatehouse.local",
      roles: ["Engineer"],
      via: "entra",
    },
    session: { mcpSession: "b".repeat(64) },
    target: { server: "customers", agent: "default" },
    action: { method: "tools/call", name: "get_customer", jsonrpcId: i, arguments: { id: "c-1002", note: "[EMAIL]" } },
    decision: { outcome: "allowed", ruleId: "engineers-standing" },
    timings: { receivedAt: new Date().toISOString(), decidedMs: 0.2 },
  };
}
