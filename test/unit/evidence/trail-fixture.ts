/**
 * Builds audit records for the report unit tests: real schema-valid records, chained by seq per
 * chain. The hashes are placeholders (reports never recompute them; chain verification is tested
 * on records written by the real sink in test/integration/evidence).
 */
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import { sha256Hex } from "../../../runtime/core/policy-model/canonical-json";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import {
  AuditEventSchema,
  AuditRecordSchema,
  type AuditEventInput,
  type AuditRecord,
} from "../../../runtime/core/audit/record-schema";

export const ALICE = {
  oid: "a11ce",
  tenantId: "t",
  username: "alice@gatehouse.local",
  roles: ["Engineer"],
  via: "entra" as const,
};
export const BOB = {
  oid: "b0b",
  tenantId: "t",
  username: "bob@gatehouse.local",
  roles: ["Approver"],
  via: "entra" as const,
};

export function testBundle(extra: Partial<{ maxMinutes: number; commit: string | null }> = {}): PolicyBundle {
  return sealBundle({
    schemaVersion: 1,
    commit: extra.commit === undefined ? "abc123" : extra.commit,
    servers: [
      { name: "files", transport: { type: "stdio", command: "node" } },
      { name: "customers", transport: { type: "http", url: "http://127.0.0.1:1/mcp" } },
    ],
    access: [
      {
        id: "engineers",
        principals: { roles: ["Engineer"] },
        servers: ["files", "customers"],
        tools: { allow: ["*"] },
        mode: "standing",
      },
      {
        id: "customers-admin",
        principals: { groups: ["g-admins"], roles: ["Engineer"] },
        servers: ["customers"],
        tools: { allow: ["*"] },
        mode: "jit",
        jit: { maxMinutes: extra.maxMinutes ?? 60 },
      },
    ],
    approvals: [
      { id: "delete-customer", servers: ["customers"], tools: ["delete_customer"], approvers: { roles: ["Approver"] } },
    ],
  });
}

export class TrailBuilder {
  readonly chains = new Map<string, AuditRecord[]>();
  private n = 0;
  constructor(private readonly base = Date.parse("2026-03-01T10:00:00Z")) {}

  /** Appends a record at `minute` minutes after the base time on `chainId`. */
  add(chainId: string, minute: number, event: AuditEventInput): AuditRecord {
    const chain = this.chains.get(chainId) ?? [];
    this.chains.set(chainId, chain);
    const prev = chain[chain.length - 1];
    const seq = prev ? prev.seq + 1 : 0;
    const rec = AuditRecordSchema.parse({
      ...AuditEventSchema.parse(event),
      schemaVersion: 1,
      id: `evt-${++this.n}`,
      time: new Date(this.base + minute * 60_000).toISOString(),
      chainId,
      seq,
      prevHash: prev ? prev.hash : "0".repeat(64),
      hash: sha256Hex(`${chainId}:${seq}`),
    });
    chain.push(rec);
    return rec;
  }
}

type Who = typeof ALICE | typeof BOB;

export function call(
  b: PolicyBundle,
  who: Who,
  server: string,
  tool: string,
  outcome: "allowed" | "denied" | "approval_requested" | "approval_approved",
  extra: Partial<{
    correlationId: string;
    approvalId: string;
    ruleId: string;
    via: "jit";
    grantId: string;
    groups: string[];
  }> = {},
): AuditEventInput {
  return {
    kind: "mcp.request",
    correlationId: extra.correlationId ?? null,
    policyVersion: b.version,
    policyCommit: b.commit,
    actor: { ...who, groups: extra.groups ?? [], via: extra.via ?? who.via },
    session: { jitGrantId: extra.grantId ?? null },
    target: { server },
    action: { method: "tools/call", name: tool, arguments: { id: 1 } },
    decision: {
      outcome,
      ruleId: extra.ruleId ?? (outcome === "denied" ? null : "engineers"),
      approvalId: extra.approvalId ?? null,
    },
  };
}

export function response(
  b: PolicyBundle,
  who: Who,
  correlationId: string,
  status: "ok" | "error" = "ok",
): AuditEventInput {
  return {
    kind: "mcp.response",
    correlationId,
    policyVersion: b.version,
    actor: who,
    target: { server: "customers" },
    action: { method: "tools/call" },
    decision: { outcome: "allowed" },
    result: { status },
  };
}

export function approvalEvent(
  b: PolicyBundle,
  kind: "approval.requested" | "approval.decided" | "approval.consumed" | "approval.expired",
  who: Who,
  approvalId: string,
  extra: Partial<{
    outcome: "approval_approved" | "approval_rejected";
    correlationId: string;
    reason: string;
    requester: Who;
  }> = {},
): AuditEventInput {
  const outcome =
    kind === "approval.requested"
      ? "approval_requested"
      : kind === "approval.expired"
        ? "approval_expired"
        : kind === "approval.consumed"
          ? "approval_approved"
          : (extra.outcome ?? "approval_approved");
  return {
    kind,
    correlationId: extra.correlationId ?? null,
    policyVersion: b.version,
    actor: who,
    target: { server: "customers" },
    action: { method: "tools/call", name: "delete_customer" },
    decision: {
      outcome,
      ruleId: "delete-customer",
      approvalId,
      reason: extra.reason ?? null,
      approvers: kind === "approval.decided" ? [{ oid: who.oid, username: who.username }] : [],
    },
    details: {
      argsHash: "h",
      ...(extra.requester ? { requester: { oid: extra.requester.oid, username: extra.requester.username } } : {}),
      ...(kind === "approval.requested" ? { justification: "ticket 42" } : {}),
    },
  };
}

export function jitEvent(
  b: PolicyBundle,
  kind: "jit.requested" | "jit.granted" | "jit.revoked",
  who: Who,
  grantId: string,
  details: Record<string, unknown>,
): AuditEventInput {
  return {
    kind,
    policyVersion: b.version,
    actor: who,
    session: { jitGrantId: grantId },
    target: { server: "customers" },
    decision: { outcome: "info", ruleId: "customers-admin" },
    details,
  };
}
