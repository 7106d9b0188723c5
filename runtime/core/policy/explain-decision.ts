/**
 * `gatehouse policy explain`: the decision the gateway would make for one identity and one call,
 * with the rule that made it, for reviewers and auditors.
 */
import type { PolicyBundle } from "../policy-model/schema";
import type { Identity } from "../identity";
import { PolicyEngine, type PolicyDecision } from "./policy-engine";

export interface ExplainInput {
  readonly roles: string[];
  readonly groups: string[];
  readonly server: string;
  readonly tool: string;
  readonly args: unknown;
  /** Explain as a JIT session granted by this access rule instead of a plain Entra token. */
  readonly jitRule?: string;
}

export interface Explanation {
  readonly decision: PolicyDecision["effect"];
  readonly code: string | null;
  readonly message: string | null;
  /** The rule that made the decision (access rule, guardrail or approval rule), if any. */
  readonly rule: { kind: "access" | "guardrail" | "approval"; id: string } | null;
  /** For approval: the access rule that lets the call through once approved. */
  readonly accessRule: string | null;
  readonly approvers: {
    roles: string[];
    groups: string[];
    count: number;
    expiresAfterSeconds: number;
    /** The rule's requester confirmation (MCP elicitation), when it has one. */
    confirm?: "requester" | "requester-only";
  } | null;
  /** Every access rule of this identity on the server. */
  readonly reachableVia: string[];
  readonly bundle: { version: string; commit: string | null };
}

export function explainDecision(bundle: PolicyBundle, input: ExplainInput): Explanation {
  const engine = new PolicyEngine(bundle);
  const identity: Identity = {
    oid: "explain",
    tenantId: "explain",
    username: null,
    roles: input.roles,
    groups: input.groups,
    groupsOverage: false,
    via: input.jitRule ? "jit" : "entra",
    jit: input.jitRule
      ? {
          grantId: "explain",
          server: input.server,
          ruleId: input.jitRule,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        }
      : null,
  };
  const d = engine.decide(identity, input.server, {
    method: "tools/call",
    params: { name: input.tool, arguments: input.args },
  });
  const base = {
    reachableVia: engine.reachable(identity, input.server).ruleIds,
    bundle: { version: bundle.version, commit: bundle.commit },
  };
  switch (d.effect) {
    case "allow":
      return {
        ...base,
        decision: "allow",
        code: null,
        message: null,
        rule: { kind: "access", id: d.ruleId },
        accessRule: d.ruleId,
        approvers: null,
      };
    case "deny":
      return {
        ...base,
        decision: "deny",
        code: d.code,
        message: d.message,
        rule: d.ruleId ? { kind: "access", id: d.ruleId } : null,
        accessRule: null,
        approvers: null,
      };
    case "block":
      return {
        ...base,
        decision: "block",
        code: d.code,
        message: d.message,
        rule: { kind: "guardrail", id: d.ruleId },
        accessRule: null,
        approvers: null,
      };
    case "approval":
      return {
        ...base,
        decision: "approval",
        code: "ERR_APPROVAL_REQUIRED",
        message: null,
        rule: { kind: "approval", id: d.ruleId },
        accessRule: d.accessRuleId,
        approvers: {
          ...d.rule.approvers,
          count: d.rule.count,
          expiresAfterSeconds: d.rule.expiresAfterSeconds,
          ...(d.rule.confirm ? { confirm: d.rule.confirm } : {}),
        },
      };
  }
}

/** Plain-text rendering of an explanation. */
export function renderExplanation(e: Explanation): string {
  const lines = [`decision: ${e.decision}`];
  if (e.rule) lines.push(`rule: ${e.rule.id} (${e.rule.kind} rule)`);
  else lines.push("rule: none (no access rule allows it: deny by default)");
  if (e.code) lines.push(`code: ${e.code}`);
  if (e.message) lines.push(`message: ${e.message}`);
  if (e.decision === "approval" && e.approvers?.confirm === "requester-only") {
    lines.push(`allowed once the requester confirms it (MCP elicitation), no approver: ${e.accessRule}`);
  } else if (e.decision === "approval" && e.approvers) {
    lines.push(`allowed once approved by: ${e.accessRule}`);
    lines.push(
      `approvers: ${[...e.approvers.roles.map((r) => `role ${r}`), ...e.approvers.groups.map((g) => `group ${g}`)].join(", ")}; ${e.approvers.count} needed (never the requester); expires after ${e.approvers.expiresAfterSeconds} s`,
    );
    if (e.approvers.confirm === "requester")
      lines.push("the requester must also confirm it (MCP elicitation), which never counts as an approval");
  }
  lines.push(`reachable via: ${e.reachableVia.length ? e.reachableVia.join(", ") : "no access rule"}`);
  lines.push(`bundle: ${e.bundle.version}${e.bundle.commit ? ` (commit ${e.bundle.commit})` : ""}`);
  return `${lines.join("\n")}\n`;
}
