import { Construct } from "constructs";
import type { ArgumentPredicate, Guardrail as GuardrailSpec } from "../../runtime/core/policy-model/schema";
import { serverRefName, type ServerRef } from "./server-ref";
import { validateGuardrailProps } from "./validate-guardrail-props";

export interface GuardrailProps {
  /** @default - the construct id */
  readonly name?: string;
  /** @default "" */
  readonly description?: string;
  /** Servers (constructs, names or globs) the guardrail watches. */
  readonly servers: ServerRef[];
  /**
   * Tools (globs) the guardrail watches.
   * @default ["*"] - every tool
   */
  readonly tools?: string[];
  /**
   * `call`: block a call when every `when` predicate holds; `result`: block a result matching `resultRegex`.
   * @default "call"
   */
  readonly on?: "call" | "result";
  /**
   * For on "call": argument predicates that must all hold for the call to be blocked.
   * @default - every call to a matching tool is blocked
   */
  readonly when?: ArgumentPredicate[];
  /**
   * For on "result": RE2 pattern searched in the (masked) result text.
   * @default - none; required for on "result"
   */
  readonly resultRegex?: string;
  /** What the caller sees when blocked. */
  readonly message: string;
}

/** Calls or results that are blocked outright. Block beats approval beats allow. */
export class Guardrail extends Construct {
  readonly props: GuardrailProps;
  readonly ruleId: string;

  constructor(scope: Construct, id: string, props: GuardrailProps) {
    super(scope, id);
    this.props = props;
    this.ruleId = props.name ?? id;
    this.node.addValidation({ validate: () => validateGuardrailProps(this.node.path, this.ruleId, props) });
  }

  toSpec(): GuardrailSpec {
    const p = this.props;
    return {
      id: this.ruleId,
      description: p.description ?? "",
      servers: p.servers.map(serverRefName),
      tools: [...(p.tools ?? ["*"])],
      on: p.on ?? "call",
      when: (p.when ?? []).map((x) => ({ ...x })),
      ...(p.resultRegex !== undefined ? { resultRegex: p.resultRegex } : {}),
      message: p.message,
    };
  }
}
