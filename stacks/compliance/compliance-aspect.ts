/**
 * The Aspect that enforces a rule pack at synth: any violation fails synth with the rule id, info,
 * explanation, control and construct path; suppressions that were applied are written into the
 * synthesized JSON (under "//" → "gatehouse_compliance") so reviewers see them in the diff.
 */
import type { IConstruct } from "constructs";
import { Annotations, type IAspect, type TerraformStack } from "cdktf";
import type { ComplianceRule } from "./rule";
import { evaluateCompliance, formatViolations, type ComplianceReport } from "./evaluate-compliance";

export class ComplianceError extends Error {
  constructor(readonly report: ComplianceReport) {
    super(`compliance check failed: ${report.violations.length} violation(s)\n${formatViolations(report.violations)}`);
    this.name = "ComplianceError";
  }
}

export class ComplianceAspect implements IAspect {
  /** The last report, for tests and tooling. */
  lastReport: ComplianceReport | undefined;

  constructor(
    private readonly stack: TerraformStack,
    private readonly pack: readonly ComplianceRule[],
    private readonly packName: string,
  ) {}

  visit(node: IConstruct): void {
    // The pack needs the whole stack at once (rules relate resources): run when the stack itself
    // is visited, which happens before any of its children.
    if (node !== this.stack) return;
    const report = evaluateCompliance(this.stack, this.pack);
    this.lastReport = report;
    this.stack.addOverride("//.gatehouse_compliance", {
      pack: this.packName,
      rules: this.pack.map((r) => r.id),
      suppressions: report.suppressed,
    });
    // Also in the synth console output, so a suppression is never silent.
    for (const s of report.suppressed) {
      Annotations.of(this.stack).addInfo(`compliance: ${s.ruleId} suppressed on ${s.path}: ${s.reason}`);
    }
    if (report.violations.length > 0) throw new ComplianceError(report);
  }
}
