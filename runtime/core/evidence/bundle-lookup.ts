/**
 * Finding the policy bundle a record was decided under (by its `policyVersion`) and the approval
 * rule a call matched, through the policy engine the gateway decides with (one engine per bundle).
 */
import type { ApprovalRule, PolicyBundle } from "../policy-model/schema";
import { PolicyEngine } from "../policy/policy-engine";

const engines = new WeakMap<PolicyBundle, PolicyEngine>();

export function bundleFor(bundles: readonly PolicyBundle[], version: string | null): PolicyBundle | null {
  if (!version) return null;
  return bundles.find((b) => b.version === version) ?? null;
}

export function engineFor(bundle: PolicyBundle): PolicyEngine {
  let e = engines.get(bundle);
  if (!e) {
    e = new PolicyEngine(bundle);
    engines.set(bundle, e);
  }
  return e;
}

/**
 * The approval rule matching a call, or null. Arguments in audit records are masked: a `when`
 * predicate on a masked value is evaluated on the masked text (documented in docs/evidence.md).
 */
export function approvalRuleFor(
  bundle: PolicyBundle,
  server: string,
  tool: string,
  args: unknown,
): ApprovalRule | null {
  return engineFor(bundle).approvalRuleFor(server, tool, args);
}
