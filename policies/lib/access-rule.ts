import { Construct } from "constructs";
import type { AccessRule as AccessRuleSpec, ArgumentPredicate } from "../../runtime/core/policy-model/schema";
import { toPrincipals, type PrincipalsProps } from "./principals-props";
import { serverRefName, type ServerRef } from "./server-ref";
import { validateAccessRuleProps } from "./validate-access-rule-props";

/** Allow and deny globs (`*` any run of characters, `?` one character). Deny beats allow. */
export interface AllowDenyProps {
  /**
   * Names (tools, prompts) or URIs (resources) allowed.
   * @default [] - nothing is allowed (an empty allow list allows nothing)
   */
  readonly allow?: string[];
  /**
   * Names or URIs denied even when an allow glob of this or any other rule matches.
   * @default []
   */
  readonly deny?: string[];
}

/** Calls to tools matching `tool` are allowed only when every predicate holds. */
export interface ArgumentConstraintProps {
  readonly tool: string;
  readonly predicates: ArgumentPredicate[];
}

export interface AccessRuleProps {
  /** @default - the construct id */
  readonly name?: string;
  /** @default "" */
  readonly description?: string;
  /** Who the rule applies to. */
  readonly principals: PrincipalsProps;
  /** Servers the rule opens (constructs or names; no globs: access is always explicit). */
  readonly servers: ServerRef[];
  /** @default - no tools */
  readonly tools?: AllowDenyProps;
  /** @default - no resources */
  readonly resources?: AllowDenyProps;
  /** @default - no prompts */
  readonly prompts?: AllowDenyProps;
  /** @default - no constraints */
  readonly argumentConstraints?: ArgumentConstraintProps[];
  /**
   * `jit`: the principal must request a time-boxed session first; `standing`: the Entra token is enough.
   * @default "jit"
   */
  readonly mode?: "standing" | "jit";
  /**
   * Longest JIT session, in minutes (1-1440).
   * @default 60
   */
  readonly jitMaxMinutes?: number;
  /**
   * `on-request`: the session is granted at once; `approval`: an approver must grant it.
   * @default "on-request"
   */
  readonly jitGrant?: "on-request" | "approval";
  /**
   * Who may grant a JIT session when jitGrant is "approval" (never the requester).
   * @default - nobody; required when jitGrant is "approval"
   */
  readonly jitApprovers?: PrincipalsProps;
}

/** Who may reach which servers, tools, resources and prompts. No matching rule means deny. */
export class AccessRule extends Construct {
  readonly props: AccessRuleProps;
  readonly ruleId: string;

  constructor(scope: Construct, id: string, props: AccessRuleProps) {
    super(scope, id);
    this.props = props;
    this.ruleId = props.name ?? id;
    this.node.addValidation({ validate: () => validateAccessRuleProps(this.node.path, this.ruleId, props) });
  }

  get serverNames(): string[] {
    return this.props.servers.map(serverRefName);
  }

  toSpec(): AccessRuleSpec {
    const p = this.props;
    const ad = (x: AllowDenyProps | undefined) => ({ allow: [...(x?.allow ?? [])], deny: [...(x?.deny ?? [])] });
    return {
      id: this.ruleId,
      description: p.description ?? "",
      principals: toPrincipals(p.principals),
      servers: this.serverNames,
      tools: ad(p.tools),
      resources: ad(p.resources),
      prompts: ad(p.prompts),
      argumentConstraints: (p.argumentConstraints ?? []).map((c) => ({
        tool: c.tool,
        predicates: c.predicates.map((x) => ({ ...x })),
      })),
      mode: p.mode ?? "jit",
      jit: {
        maxMinutes: p.jitMaxMinutes ?? 60,
        grant: p.jitGrant ?? "on-request",
        approvers: toPrincipals(p.jitApprovers),
      },
    };
  }
}
