/**
 * Finding the policy bundle a record was decided under (by its `policyVersion`) and the approval
 * rule a call matched. Matching uses the policy module's glob and argument predicates, the same
 * code the gateway decides with, in bundle order (the first matching rule).
 */
import type { ApprovalRule, PolicyBundle } from "../../../policies/schema";
import { allPredicatesHold } from "../policy/argument-predicates";
import { matchesAny } from "../policy/glob";

export function bundleFor(bundles: readonly PolicyBundle[], version: string | null): PolicyBundle | null {
  if (!version) return null;
  return bundles.find((b) => b.version === version) ?? null;
}

/**
 * The approval rule matching a call, or null. Arguments in audit records are masked: a `when`
 * predicate on a masked value is evaluated on the masked text (documented in docs/evidence.md).
 */
export function approvalRuleFor(bundle: PolicyBundle, server: string, tool: string, args: unknown): ApprovalRule | null {
  return (
    bundle.approvals.find((r) => matchesAny(r.servers, server) && matchesAny(r.tools, tool) && allPredicatesHold(r.when, args)) ?? null
  );
}
