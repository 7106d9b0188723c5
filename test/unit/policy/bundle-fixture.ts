import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import type { Identity } from "../../../runtime/core/identity";

/** A small organisation: files and customers servers, Engineers standing, Ops JIT, approvals and guardrails. */
export function fixtureBundle(overrides: Record<string, unknown> = {}): PolicyBundle {
  return sealBundle({
    schemaVersion: 1,
    servers: [
      { name: "files", transport: { type: "stdio", command: "node", args: ["fs.js"] } },
      { name: "customers", transport: { type: "http", url: "http://127.0.0.1:8091/mcp" } },
      { name: "empty", transport: { type: "http", url: "http://127.0.0.1:8092/mcp" } },
    ],
    access: [
      {
        id: "engineers",
        principals: { roles: ["Engineer"] },
        servers: ["files", "customers"],
        mode: "standing",
        tools: { allow: ["*"], deny: ["write_*"] },
        resources: { allow: ["file:///demo/*"], deny: ["file:///demo/secret*"] },
        prompts: { allow: ["summar?"] },
        argumentConstraints: [{ tool: "read_file", predicates: [{ path: "path", op: "regex", value: "^/demo/" }] }],
      },
      {
        id: "group-readers",
        principals: { groups: ["11111111-2222-3333-4444-555555555555"] },
        servers: ["customers"],
        mode: "standing",
        tools: { allow: ["list_*", "get_*"] },
      },
      {
        id: "ops-jit",
        principals: { roles: ["Ops"] },
        servers: ["files"],
        mode: "jit",
        tools: { allow: ["*"] },
      },
      {
        id: "no-allow",
        principals: { roles: ["Nothing"] },
        servers: ["customers"],
        mode: "standing",
      },
    ],
    approvals: [
      {
        id: "delete-needs-approver",
        servers: ["customers"],
        tools: ["delete_*"],
        approvers: { roles: ["Approver"] },
      },
    ],
    guardrails: [
      {
        id: "one-delete-per-call",
        servers: ["customers"],
        tools: ["delete_customer"],
        when: [{ path: "ids", op: "lengthGt", value: 1 }],
        message: "delete one customer per call",
      },
      {
        id: "no-private-keys",
        servers: ["*"],
        on: "result",
        resultRegex: "BEGIN [A-Z ]*PRIVATE KEY",
        message: "result withheld",
      },
    ],
    ...overrides,
  });
}

export function entra(roles: string[], groups: string[] = []): Identity {
  return {
    oid: "oid-1",
    tenantId: "tid",
    username: "u@example.com",
    roles,
    groups,
    groupsOverage: false,
    via: "entra",
    jit: null,
  };
}

export function jitIdentity(
  server: string,
  ruleId: string,
  expiresAt = new Date(Date.now() + 3_600_000).toISOString(),
): Identity {
  return { ...entra(["Ops"]), via: "jit", jit: { grantId: "g1", server, ruleId, expiresAt } };
}
