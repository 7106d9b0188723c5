import { Construct } from "constructs";
import type { ApprovalRule as ApprovalRuleSpec, ArgumentPredicate } from "../../runtime/core/policy-model/schema";
import { toPrincipals, type PrincipalsProps } from "./principals-props";
import { serverRefName, type ServerRef } from "./server-ref";
import { validateApprovalRuleProps } from "./validate-approval-rule-props";

export interface ApprovalRuleProps {
  /** @default - the construct id */
  readonly name?: string;
  /** @default "" */
  readonly description?: string;
  /** Servers (constructs, names or globs) whose calls the rule gates. */
  readonly servers: ServerRef[];
  /** Tools (globs) whose calls the rule gates. */
  readonly tools: string[];
  /**
   * Argument predicates that must all hold for a call to need approval.
   * @default - every call to a matching tool needs approval
   */
  readonly when?: ArgumentPredicate[];
  /** Who may approve. The requester never may, whatever their roles: not configurable. */
  readonly approvers: PrincipalsProps;
  /**
   * Distinct approvers needed (1-10).
   * @default 1
   */
  readonly count?: number;
  /**
   * A request not decided within this many seconds expires, which means deny (30 s - 7 days).
   * @default 3600
   */
  readonly expiresAfterSeconds?: number;
  /**
   * The requester must give a reason (MCP: `_meta["gatehouse/reason"]` of the tools/call, 3-500
   * characters); a call without one is refused with ERR_APPROVAL_REASON_REQUIRED, before any
   * approval record exists.
   * @default false
   */
  readonly requireReason?: boolean;
  /**
   * An approver may edit the held call's arguments (with a reason) and approve the edited call; the
   * edited call must pass the tool's input schema and the policy. false forbids edits for calls
   * held by this rule (ERR_EDIT_FORBIDDEN).
   * @default true
   */
  readonly allowEdit?: boolean;
}

/** Calls that wait for human approval before they are forwarded. */
export class ApprovalRule extends Construct {
  readonly props: ApprovalRuleProps;
  readonly ruleId: string;

  constructor(scope: Construct, id: string, props: ApprovalRuleProps) {
    super(scope, id);
    this.props = props;
    this.ruleId = props.name ?? id;
    this.node.addValidation({ validate: () => validateApprovalRuleProps(this.node.path, this.ruleId, props) });
  }

  toSpec(): ApprovalRuleSpec {
    const p = this.props;
    return {
      id: this.ruleId,
      description: p.description ?? "",
      servers: p.servers.map(serverRefName),
      tools: [...p.tools],
      when: (p.when ?? []).map((x) => ({ ...x })),
      approvers: toPrincipals(p.approvers),
      count: p.count ?? 1,
      expiresAfterSeconds: p.expiresAfterSeconds ?? 3600,
      // Emitted only when set, so existing bundles (and their versions) are unchanged.
      ...(p.requireReason ? { requireReason: true } : {}),
      ...(p.allowEdit === false ? { allowEdit: false } : {}),
    };
  }
}
