import { Construct } from "constructs";
import type {
  ApprovalRule as ApprovalRuleSpec,
  ArgumentPredicate,
  NotifyChannel,
} from "../../runtime/core/policy-model/schema";
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
  /**
   * Who may approve. The requester never may, whatever their roles: not configurable.
   * Required unless `confirm` is `requester-only` (which has no approvers).
   * @default - none (only with `confirm: "requester-only"`)
   */
  readonly approvers?: PrincipalsProps;
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
   * The human behind the client must confirm the call, asked by the gateway through MCP
   * elicitation (a client without the elicitation capability is refused with
   * ERR_REQUESTER_CONFIRMATION_REQUIRED): `requester` before the call goes on to the approvers
   * (e.g. destructive tools), `requester-only` instead of them (e.g. "confirm before sending an
   * e-mail"). A confirmation is recorded (approval.requester_confirmed) and never counts as an approval.
   * @default - no confirmation by the requester
   */
  readonly confirm?: "requester" | "requester-only";
  /**
   * Where this rule's requests are announced, when approvers are reminded and who is told when
   * nobody decides (channels are configured by GATEHOUSE_* variables: docs/approvals.md).
   * @default - every configured channel, their default recipients, no reminder, no escalation
   */
  readonly notify?: ApprovalNotifyProps;
  /**
   * An approver may edit the held call's arguments (with a reason) and approve the edited call; the
   * edited call must pass the tool's input schema and the policy. false forbids edits for calls
   * held by this rule (ERR_EDIT_FORBIDDEN).
   * @default true
   */
  readonly allowEdit?: boolean;
}

/** Notification routing of one approval rule. */
export interface ApprovalNotifyProps {
  /**
   * Channels to notify: `teams`, `webhook`, `slack`, `email`, `pagerduty`.
   * @default - every configured channel
   */
  readonly channels?: NotifyChannel[];
  /**
   * Approver group to address, a name of GATEHOUSE_APPROVER_GROUPS (its e-mail recipients and
   * Slack channel). It addresses notifications only: who may approve is `approvers`.
   * @default - each channel's default recipients
   */
  readonly group?: string;
  /**
   * Remind the channels this many seconds before expiry, once, if still undecided (less than
   * `expiresAfterSeconds`).
   * @default - no reminder
   */
  readonly remindBeforeSeconds?: number;
  /**
   * Tell a second group when nobody decided within `afterSeconds` (less than `expiresAfterSeconds`),
   * once; audited as `approval.escalated`.
   * @default - no escalation
   */
  readonly escalation?: {
    readonly afterSeconds: number;
    readonly group: string;
    /** @default - the rule's channels */
    readonly channels?: NotifyChannel[];
  };
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
      ...(p.confirm ? { confirm: p.confirm } : {}),
      ...(p.notify ? { notify: notifySpec(p.notify) } : {}),
      ...(p.allowEdit === false ? { allowEdit: false } : {}),
    };
  }
}

function notifySpec(n: ApprovalNotifyProps): NonNullable<ApprovalRuleSpec["notify"]> {
  return {
    ...(n.channels ? { channels: [...n.channels] } : {}),
    ...(n.group !== undefined ? { group: n.group } : {}),
    ...(n.remindBeforeSeconds !== undefined ? { remindBeforeSeconds: n.remindBeforeSeconds } : {}),
    ...(n.escalation
      ? {
          escalation: {
            afterSeconds: n.escalation.afterSeconds,
            group: n.escalation.group,
            ...(n.escalation.channels ? { channels: [...n.escalation.channels] } : {}),
          },
        }
      : {}),
  };
}
