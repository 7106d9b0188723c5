/**
 * Policy evaluation for one bundle: who may reach which server, which tools, resources and
 * prompts, which calls are blocked or need a human approval. Pure: no I/O, no clock except the
 * expiry of JIT identities.
 *
 * Precedence for a tools/call: no access rule allowing the tool = deny; then a matching call
 * guardrail = block; then a matching approval rule = approval; else allow. Deny globs beat allow
 * globs, across every access rule that applies to the identity.
 *
 * Argument predicates of access rules are strict (a value of the wrong type does not grant);
 * those of guardrails and approval rules fail closed (it blocks or pauses): argument-predicates.ts.
 */
import type { AccessRule, AllowDeny, ApprovalRule, McpServerSpec, PolicyBundle } from "../policy-model/schema";
import { GatehouseError } from "../errors";
import type { Identity } from "../identity";
import { allPredicatesHold, compileRe2 } from "../policy-model/argument-predicates";
import { regexProblems } from "../policy-model/bundle-problems";
import { firstMatch, matchesAny } from "../policy-model/glob";
import { fromIdentityProvider, identityMatches } from "./principals";
import { KNOWN_CLIENT_METHODS } from "../mcp/mcp-methods";

export type PolicyDecision =
  | { effect: "allow"; ruleId: string }
  | {
      effect: "deny";
      ruleId: string | null;
      code: "ERR_UNKNOWN_SERVER" | "ERR_FORBIDDEN" | "ERR_TOOL_DENIED" | "ERR_ARGUMENTS_DENIED" | "ERR_METHOD_DENIED";
      message: string;
    }
  | { effect: "block"; ruleId: string; code: "ERR_GUARDRAIL_BLOCKED"; message: string }
  | { effect: "approval"; ruleId: string; accessRuleId: string; rule: ApprovalRule };

export type ItemKind = "tools" | "resources" | "prompts";

/** Which access rule lets an identity use one item, or why not. */
type ItemAccess = { ok: true; rule: AccessRule } | { ok: false; ruleId: string | null };

const NOUN: Record<ItemKind, string> = { tools: "tool", resources: "resource", prompts: "prompt" };

export class PolicyEngine {
  readonly bundle: PolicyBundle;
  private readonly servers: Map<string, McpServerSpec>;

  constructor(bundle: PolicyBundle) {
    this.bundle = bundle;
    this.servers = new Map(bundle.servers.map((s) => [s.name, s]));
    // Fail at start, not at the first call, on a regex the matcher cannot run.
    const problems = regexProblems(bundle);
    if (problems.length > 0)
      throw new GatehouseError("ERR_POLICY_INVALID", `policy bundle has invalid regexes: ${problems.join("; ")}`, {
        problems,
      });
  }

  server(name: string): McpServerSpec | undefined {
    return this.servers.get(name);
  }

  /** Access rules of this identity for this server (JIT identities: only their granted server and rule). */
  reachable(identity: Identity, server: string): { allowed: boolean; ruleIds: string[] } {
    const ruleIds = this.applicableRules(identity, server).map((r) => r.id);
    return { allowed: ruleIds.length > 0, ruleIds };
  }

  /** Decide one JSON-RPC request (method + params) from identity to server. */
  decide(identity: Identity, server: string, request: { method: string; params?: unknown }): PolicyDecision {
    if (!this.servers.has(server)) {
      return { effect: "deny", ruleId: null, code: "ERR_UNKNOWN_SERVER", message: `no MCP server named '${server}'` };
    }
    const rules = this.applicableRules(identity, server);
    if (rules.length === 0) {
      return {
        effect: "deny",
        ruleId: null,
        code: "ERR_FORBIDDEN",
        message: `no access rule lets you reach '${server}'`,
      };
    }
    const params = isRecord(request.params) ? request.params : {};
    switch (request.method) {
      case "tools/call":
        return this.decideToolCall(rules, server, params);
      case "resources/read":
      case "resources/subscribe":
        return this.decideItem(rules, "resources", params.uri);
      case "prompts/get":
        return this.decideItem(rules, "prompts", params.name);
      case "completion/complete": {
        // Completions leak argument values of a prompt or resource template: same rule as using it.
        const ref = isRecord(params.ref) ? params.ref : {};
        if (ref.type === "ref/prompt") return this.decideItem(rules, "prompts", ref.name);
        if (ref.type === "ref/resource") return this.decideItem(rules, "resources", ref.uri);
        return {
          effect: "deny",
          ruleId: null,
          code: "ERR_TOOL_DENIED",
          message: "completion/complete without a prompt or resource reference",
        };
      }
      default:
        // initialize, ping, notifications/*, */list (filtered by filterList), logging/setLevel, ...
        // Anything else is denied unless the server's policy names it: nothing undecided is forwarded.
        if (
          !KNOWN_CLIENT_METHODS.has(request.method) &&
          !matchesAny(this.servers.get(server)!.methods ?? [], request.method)
        ) {
          return {
            effect: "deny",
            ruleId: null,
            code: "ERR_METHOD_DENIED",
            message: `the method '${request.method}' is not one the policy of '${server}' names`,
          };
        }
        return { effect: "allow", ruleId: rules[0].id };
    }
  }

  /** Filter tools/list, resources/list, resources/templates/list, prompts/list items to what identity may use. */
  filterList<T extends { name?: string; uri?: string; uriTemplate?: string }>(
    identity: Identity,
    server: string,
    kind: ItemKind,
    items: T[],
  ): T[] {
    const rules = this.applicableRules(identity, server);
    if (rules.length === 0) return [];
    return items.filter((item) => {
      const key = kind === "resources" ? (item.uri ?? item.uriTemplate) : item.name;
      return typeof key === "string" && itemAccess(rules, kind, key).ok;
    });
  }

  /** Guardrails with on:"result": returns the blocking guardrail if the (masked) result text matches. */
  /**
   * The first result guardrail of this server and tool whose regex matches the result text.
   * `resultText` may be a function: the text (a serialization of a result that may be large) is
   * then made only when a guardrail applies (issue 15: most tools have none).
   */
  checkResult(
    server: string,
    tool: string,
    resultText: string | (() => string),
  ): { ruleId: string; message: string } | null {
    let text = typeof resultText === "string" ? resultText : null;
    for (const g of this.bundle.guardrails) {
      if (g.on !== "result" || g.resultRegex === undefined) continue;
      if (!matchesAny(g.servers, server) || !matchesAny(g.tools, tool)) continue;
      text ??= (resultText as () => string)();
      if (compileRe2(g.resultRegex).test(text)) return { ruleId: g.id, message: g.message };
    }
    return null;
  }

  /** For POST /api/sessions: the jit access rules of this identity on server. */
  jitRules(identity: Identity, server: string): AccessRule[] {
    // A JIT session cannot be used to obtain another one.
    if (!fromIdentityProvider(identity)) return [];
    return this.bundle.access.filter(
      (r) => r.mode === "jit" && r.servers.includes(server) && identityMatches(r.principals, identity),
    );
  }

  /** Approval rule matching a tools/call, if any (used by decide; exposed for explain/evidence). */
  approvalRuleFor(server: string, tool: string, args: unknown): ApprovalRule | null {
    return (
      this.bundle.approvals.find(
        (a) =>
          matchesAny(a.servers, server) &&
          matchesAny(a.tools, tool) &&
          allPredicatesHold(a.when, args ?? {}, "failClosed"),
      ) ?? null
    );
  }

  private applicableRules(identity: Identity, server: string): AccessRule[] {
    if (!this.servers.has(server)) return [];
    const onServer = this.bundle.access.filter((r) => r.servers.includes(server));
    if (fromIdentityProvider(identity))
      return onServer.filter((r) => r.mode === "standing" && identityMatches(r.principals, identity));
    const jit = identity.jit;
    // A JIT identity reaches only the server and rule of its grant, and only until it expires.
    if (!jit || jit.server !== server || !(Date.parse(jit.expiresAt) > Date.now())) return [];
    return onServer.filter((r) => r.mode === "jit" && r.id === jit.ruleId);
  }

  private decideItem(rules: AccessRule[], kind: ItemKind, key: unknown): PolicyDecision {
    if (typeof key !== "string" || key === "") {
      return { effect: "deny", ruleId: null, code: "ERR_TOOL_DENIED", message: `request names no ${NOUN[kind]}` };
    }
    const access = itemAccess(rules, kind, key);
    if (!access.ok) {
      return {
        effect: "deny",
        ruleId: access.ruleId,
        code: "ERR_TOOL_DENIED",
        message: `${NOUN[kind]} '${key}' is not allowed for you`,
      };
    }
    return { effect: "allow", ruleId: access.rule.id };
  }

  private decideToolCall(rules: AccessRule[], server: string, params: Record<string, unknown>): PolicyDecision {
    const tool = params.name;
    const args = params.arguments ?? {};
    const access = this.decideItem(rules, "tools", tool);
    if (access.effect !== "allow" || typeof tool !== "string") return access;
    // Among rules allowing the tool, the call is allowed by the first whose argument constraints hold.
    const allowing = rules.filter((r) => itemAccess([r], "tools", tool).ok);
    const satisfied = allowing.find((r) =>
      r.argumentConstraints.every((c) => !matchesAny([c.tool], tool) || allPredicatesHold(c.predicates, args)),
    );
    if (!satisfied) {
      return {
        effect: "deny",
        ruleId: allowing[0].id,
        code: "ERR_ARGUMENTS_DENIED",
        message: `the arguments of '${tool}' are not allowed by rule '${allowing[0].id}'`,
      };
    }
    const guardrail = this.bundle.guardrails.find(
      (g) =>
        g.on === "call" &&
        matchesAny(g.servers, server) &&
        matchesAny(g.tools, tool) &&
        allPredicatesHold(g.when, args, "failClosed"),
    );
    if (guardrail)
      return { effect: "block", ruleId: guardrail.id, code: "ERR_GUARDRAIL_BLOCKED", message: guardrail.message };
    const approval = this.approvalRuleFor(server, tool, args);
    if (approval) return { effect: "approval", ruleId: approval.id, accessRuleId: satisfied.id, rule: approval };
    return { effect: "allow", ruleId: satisfied.id };
  }
}

/**
 * Whether the rules let an identity use one item: a deny glob in any applicable rule wins; else
 * the first rule with a matching allow glob. An empty allow list allows nothing (secure default).
 */
export function itemAccess(rules: readonly AccessRule[], kind: ItemKind, key: string): ItemAccess {
  const lists = (r: AccessRule): AllowDeny => r[kind];
  const denying = rules.find((r) => firstMatch(lists(r).deny, key) !== null);
  if (denying) return { ok: false, ruleId: denying.id };
  const allowing = rules.find((r) => firstMatch(lists(r).allow, key) !== null);
  return allowing ? { ok: true, rule: allowing } : { ok: false, ruleId: null };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
