/**
 * Runs a rule pack over a stack's synthesized resources. Pure apart from reading the stack: returns
 * the violations (with the construct path of each) and the suppressions that were applied.
 */
import { TerraformProvider, TerraformResource, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { ComplianceRule, RuleContext, SynthResource } from "./rule";
import { suppressionFor } from "./suppressions";

export interface Violation {
  readonly ruleId: string;
  readonly info: string;
  readonly explanation: string;
  readonly control: string;
  readonly path: string;
  readonly resource: string;
  /** Set when the rule threw: a rule that cannot decide counts as a violation (fail closed). */
  readonly error?: string;
}

export interface AppliedSuppression {
  readonly ruleId: string;
  readonly reason: string;
  /** The resource the rule would have fired on. */
  readonly path: string;
  /** Where the suppression was declared. */
  readonly suppressedAt: string;
}

export interface ComplianceReport {
  readonly violations: Violation[];
  readonly suppressed: AppliedSuppression[];
  readonly rulesEvaluated: number;
  readonly resourcesEvaluated: number;
}

type SynthJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Record<string, unknown>[]>;
};

/** Providers are checked too (features, registrations), as type `provider.<name>`. */
function synthesizedProviders(
  stack: TerraformStack,
  json: SynthJson,
): { resource: SynthResource; construct: IConstruct }[] {
  return stack.node
    .findAll()
    .filter((c): c is TerraformProvider => c instanceof TerraformProvider)
    .map((construct) => {
      const name = construct.terraformResourceType;
      const config = (json.provider?.[name] ?? []).find((p) => p.alias === construct.alias) ?? {};
      return {
        resource: { type: `provider.${name}`, logicalId: construct.alias ?? name, path: construct.node.path, config },
        construct,
      };
    });
}

export function synthesizedResources(stack: TerraformStack): { resource: SynthResource; construct: IConstruct }[] {
  const json = stack.toTerraform() as SynthJson;
  const resources = stack.node
    .findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource)
    .map((construct) => {
      const type = construct.terraformResourceType;
      const logicalId = construct.friendlyUniqueId;
      const { ["//"]: _metadata, ...config } = json.resource?.[type]?.[logicalId] ?? {};
      return { resource: { type, logicalId, path: construct.node.path, config }, construct };
    });
  return [...resources, ...synthesizedProviders(stack, json)];
}

export function evaluateCompliance(stack: TerraformStack, pack: readonly ComplianceRule[]): ComplianceReport {
  const entries = synthesizedResources(stack);
  const ctx: RuleContext = { resources: entries.map((e) => e.resource) };
  const violations: Violation[] = [];
  const suppressed: AppliedSuppression[] = [];
  for (const { resource, construct } of entries) {
    for (const rule of pack) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      let outcome: string;
      let error: string | undefined;
      try {
        outcome = rule.check(resource, ctx);
      } catch (e) {
        outcome = "non-compliant";
        error = e instanceof Error ? e.message : String(e);
      }
      if (outcome === "compliant" || outcome === "not-applicable") continue;
      const suppression = suppressionFor(construct, rule.id);
      if (suppression) {
        suppressed.push({
          ruleId: rule.id,
          reason: suppression.reason,
          path: resource.path,
          suppressedAt: suppression.path,
        });
        continue;
      }
      violations.push({
        ruleId: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        control: rule.control,
        path: resource.path,
        resource: `${resource.type}.${resource.logicalId}`,
        ...(error !== undefined ? { error } : {}),
      });
    }
  }
  return { violations, suppressed, rulesEvaluated: pack.length, resourcesEvaluated: entries.length };
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map(
      (v) =>
        `[${v.ruleId}] ${v.info}\n  at ${v.path} (${v.resource})\n  control: ${v.control}\n  why: ${v.explanation}` +
        (v.error ? `\n  the rule threw (counted as a violation): ${v.error}` : ""),
    )
    .join("\n");
}
