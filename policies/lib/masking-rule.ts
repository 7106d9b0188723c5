import { Construct } from "constructs";
import type { DetectorId, MaskingRule as MaskingRuleSpec } from "../../runtime/core/policy-model/schema";
import { serverRefName, type ServerRef } from "./server-ref";
import { validateMaskingRuleProps } from "./validate-masking-rule-props";

export type MaskingStyle = "redact" | "last4" | "hash";
export type MaskingScope = "client" | "audit" | "both";

/** How much of a value each style reveals: redact nothing, hash a correlatable digest, last4 four characters. */
export const STYLE_STRENGTH: Record<MaskingStyle, number> = { redact: 3, hash: 2, last4: 1 };

export interface MaskingRuleProps {
  /** @default - the construct id */
  readonly name?: string;
  /** @default "" */
  readonly description?: string;
  /**
   * Servers (constructs, names or globs) whose traffic the rule masks.
   * @default ["*"] - every server
   */
  readonly servers?: ServerRef[];
  /**
   * Tools (globs) whose results the rule masks.
   * @default ["*"] - every tool
   */
  readonly tools?: string[];
  /** @default - no built-in detectors */
  readonly detectors?: DetectorId[];
  /**
   * Custom patterns in RE2 syntax (linear time).
   * @default - none
   */
  readonly patterns?: { name: string; regex: string }[];
  /**
   * JSON field names (case-insensitive) whose values are masked whole.
   * @default - none
   */
  readonly fieldNames?: string[];
  /**
   * JSON paths (dot form, `*` for any key or index) whose values are masked whole.
   * @default - none
   */
  readonly fieldPaths?: string[];
  /**
   * `redact`, `last4` (keep the last four characters) or `hash` (keyed HMAC, correlates across records).
   * @default "redact"
   */
  readonly style?: MaskingStyle;
  /**
   * Which copy is masked: what the client receives, the audit copy, or both. The audit copy must
   * always be masked at least as strictly as the client copy: a "client" rule needs an audit or
   * both rule covering the same data at least as strictly.
   * @default "both"
   */
  readonly scope?: MaskingScope;
}

/** What is masked in results (and in the audit copy of arguments). */
export class MaskingRule extends Construct {
  readonly props: MaskingRuleProps;
  readonly ruleId: string;

  constructor(scope: Construct, id: string, props: MaskingRuleProps) {
    super(scope, id);
    this.props = props;
    this.ruleId = props.name ?? id;
    this.node.addValidation({ validate: () => validateMaskingRuleProps(this.node.path, this.ruleId, props) });
  }

  toSpec(): MaskingRuleSpec {
    const p = this.props;
    return {
      id: this.ruleId,
      description: p.description ?? "",
      servers: (p.servers ?? ["*"]).map(serverRefName),
      tools: [...(p.tools ?? ["*"])],
      detectors: [...(p.detectors ?? [])],
      patterns: (p.patterns ?? []).map((x) => ({ name: x.name, regex: x.regex })),
      fieldNames: [...(p.fieldNames ?? [])],
      fieldPaths: [...(p.fieldPaths ?? [])],
      style: p.style ?? "redact",
      scope: p.scope ?? "both",
    };
  }
}
