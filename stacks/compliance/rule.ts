/**
 * A compliance rule, cdk-nag style: an id, what is wrong (`info`), why the rule exists
 * (`explanation`), the control it serves, and a pure check over one synthesized resource.
 */

/** One resource as synthesized: Terraform type, logical id, construct path and resolved config. */
export interface SynthResource {
  readonly type: string;
  readonly logicalId: string;
  readonly path: string;
  // Synthesized Terraform JSON: shapes vary per resource type, rules read it defensively.
  readonly config: Readonly<Record<string, unknown>>;
}

/** Every resource of the stack, for rules that relate resources (endpoints, diagnostics, NSGs). */
export interface RuleContext {
  readonly resources: readonly SynthResource[];
}

export type RuleResult = "compliant" | "non-compliant" | "not-applicable";

export interface ComplianceRule {
  /** Checkov id (CKV_AZURE_*, CKV2_AZURE_*) or ours (GH_*). */
  readonly id: string;
  /** One line: what is wrong when the rule fires. */
  readonly info: string;
  /** Why the rule exists and how to fix a violation. */
  readonly explanation: string;
  /** The control served (SOC 2 Trust Services criterion). */
  readonly control: string;
  /** Terraform resource types the rule inspects; others are not applicable. */
  readonly resourceTypes: readonly string[];
  /** Pure: decides from the resource and its stack, never throws on purpose (a throw counts as a violation). */
  readonly check: (resource: SynthResource, ctx: RuleContext) => RuleResult;
}

export const compliantIf = (condition: boolean): RuleResult => (condition ? "compliant" : "non-compliant");
