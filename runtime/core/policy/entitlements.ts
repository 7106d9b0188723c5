/**
 * What each principal (app role or group) may do on each server, merged across access rules:
 * the view reviewers reason in ("role Engineer gains tool X on customers"), independent of how
 * the rules are split or named.
 */
import type { AccessRule, PolicyBundle } from "../policy-model/schema";

export interface Entitlement {
  readonly principal: string; // "role Engineer" or "group <id>"
  readonly server: string;
  readonly mode: "standing" | "jit";
  readonly tools: { allow: string[]; deny: string[] };
  readonly resources: { allow: string[]; deny: string[] };
  readonly prompts: { allow: string[]; deny: string[] };
  /** Argument constraints as text, e.g. `read_file: path regex "^/demo/"`. */
  readonly constraints: string[];
  /** JIT only: longest session and how it is granted. */
  readonly jitMaxMinutes: number | null;
  readonly jitGrant: "on-request" | "approval" | null;
}

export function entitlementKey(e: Pick<Entitlement, "principal" | "server" | "mode">): string {
  return `${e.principal}|${e.server}|${e.mode}`;
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

function fromRule(r: AccessRule, principal: string, server: string): Entitlement {
  return {
    principal,
    server,
    mode: r.mode,
    tools: { allow: [...r.tools.allow].sort(), deny: [...r.tools.deny].sort() },
    resources: { allow: [...r.resources.allow].sort(), deny: [...r.resources.deny].sort() },
    prompts: { allow: [...r.prompts.allow].sort(), deny: [...r.prompts.deny].sort() },
    constraints: r.argumentConstraints
      .flatMap((c) => c.predicates.map((p) => `${c.tool}: ${p.path} ${p.op} ${JSON.stringify(p.value)}`))
      .sort(),
    jitMaxMinutes: r.mode === "jit" ? r.jit.maxMinutes : null,
    jitGrant: r.mode === "jit" ? r.jit.grant : null,
  };
}

function merge(a: Entitlement, b: Entitlement): Entitlement {
  const ad = (x: Entitlement["tools"], y: Entitlement["tools"]) => ({
    allow: union(x.allow, y.allow),
    deny: union(x.deny, y.deny),
  });
  return {
    ...a,
    tools: ad(a.tools, b.tools),
    resources: ad(a.resources, b.resources),
    prompts: ad(a.prompts, b.prompts),
    constraints: union(a.constraints, b.constraints),
    jitMaxMinutes:
      a.jitMaxMinutes === null || b.jitMaxMinutes === null ? null : Math.max(a.jitMaxMinutes, b.jitMaxMinutes),
    jitGrant: a.jitGrant === "on-request" || b.jitGrant === "on-request" ? "on-request" : (a.jitGrant ?? b.jitGrant),
  };
}

export function entitlements(bundle: Pick<PolicyBundle, "access">): Map<string, Entitlement> {
  const out = new Map<string, Entitlement>();
  for (const r of bundle.access) {
    const principals = [
      ...r.principals.roles.map((x) => `role ${x}`),
      ...r.principals.groups.map((x) => `group ${x}`),
      ...(r.principals.apps ?? []).map((x) => `app ${x}`),
    ];
    for (const principal of principals) {
      for (const server of r.servers) {
        const e = fromRule(r, principal, server);
        const key = entitlementKey(e);
        const prev = out.get(key);
        out.set(key, prev ? merge(prev, e) : e);
      }
    }
  }
  return out;
}
