/**
 * Suppressions: a rule id with a written reason, attached to a construct and applying to its
 * subtree (as cdk-nag's NagSuppressions). The reason must say why, so short ones are refused; every
 * suppression used is written into the synthesized output for reviewers.
 */
import type { IConstruct } from "constructs";

export interface RuleSuppression {
  readonly id: string;
  /** Why the rule does not apply here; at least MIN_REASON_LENGTH characters. */
  readonly reason: string;
}

export const MIN_REASON_LENGTH = 30;
const METADATA_TYPE = "gatehouse:compliance-suppressions";

/** Suppress rules for `construct` and everything below it. Throws on a missing or token reason. */
export function addSuppressions(construct: IConstruct, suppressions: readonly RuleSuppression[]): void {
  for (const s of suppressions) {
    if (!/^[A-Z0-9_]+$/.test(s.id))
      throw new TypeError(`${construct.node.path}: suppression id must be a rule id, received "${s.id}"`);
    if (typeof s.reason !== "string" || s.reason.trim().length < MIN_REASON_LENGTH) {
      throw new TypeError(
        `${construct.node.path}: suppression of ${s.id} needs a reason of at least ${MIN_REASON_LENGTH} characters saying why the rule does not apply, received "${s.reason ?? ""}"`,
      );
    }
  }
  construct.node.addMetadata(
    METADATA_TYPE,
    suppressions.map((s) => ({ id: s.id, reason: s.reason.trim() })),
  );
}

/** The suppression of `ruleId` that applies to `construct` (its own or an ancestor's), if any. */
export function suppressionFor(
  construct: IConstruct,
  ruleId: string,
): (RuleSuppression & { path: string }) | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== METADATA_TYPE) continue;
      const found = (entry.data as RuleSuppression[]).find((s) => s.id === ruleId);
      if (found) return { ...found, path: scope.node.path };
    }
  }
  return undefined;
}
