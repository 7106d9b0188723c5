import type { ApprovalRuleProps } from "./approval-rule";
import { predicateChecks } from "./predicate-checks";
import { approverChecks } from "./principals-props";
import { failures, isValidName, NAME_EXPECTED, shown, type ValidationCheck } from "./validation";
import { NOTIFY_CHANNELS } from "../../runtime/core/policy-model/schema";

/** Validation of ApprovalRule props; every failure, prefixed with the construct path. */
export function validateApprovalRuleProps(path: string, ruleId: string, p: ApprovalRuleProps): string[] {
  const count = p.count ?? 1;
  const expires = p.expiresAfterSeconds ?? 3600;
  const checks: ValidationCheck[] = [
    {
      condition: !isValidName(ruleId),
      message: `rule name ${shown(ruleId)} is not valid, expected ${NAME_EXPECTED} (set props.name or rename the construct)`,
    },
    {
      condition: p.servers.length === 0,
      message: "servers is empty, so the rule can never match: expected at least one server name or glob",
    },
    {
      condition: p.tools.length === 0,
      message: 'tools is empty, so the rule can never match: expected at least one tool glob, e.g. ["delete_*"]',
    },
    {
      condition: p.tools.some((t) => t.length === 0 || t.length > 256),
      message: "tools has an empty or over-long glob, expected 1-256 characters",
    },
    ...(p.confirm === "requester-only"
      ? [
          {
            condition: p.approvers !== undefined || p.count !== undefined,
            message:
              'approvers and count are not used when confirm is "requester-only" (the requester\'s confirmation replaces them): remove them, or use confirm "requester" to need both',
          },
        ]
      : approverChecks(p.approvers, "approvers")),
    {
      condition: p.confirm !== undefined && p.confirm !== "requester" && p.confirm !== "requester-only",
      message: `confirm must be "requester" or "requester-only", received ${shown(p.confirm)}`,
    },
    {
      condition: !(Number.isInteger(count) && count >= 1 && count <= 10),
      message: `count must be an integer from 1 to 10, received ${shown(p.count)}`,
    },
    {
      condition: !(Number.isInteger(expires) && expires >= 30 && expires <= 7 * 24 * 3600),
      message: `expiresAfterSeconds must be an integer from 30 to 604800 (7 days), received ${shown(p.expiresAfterSeconds)}`,
    },
    {
      condition: p.requireReason !== undefined && typeof p.requireReason !== "boolean",
      message: `requireReason must be true or false, received ${shown(p.requireReason)}`,
    },
    {
      condition: p.allowEdit !== undefined && typeof p.allowEdit !== "boolean",
      message: `allowEdit must be true or false, received ${shown(p.allowEdit)}`,
    },
    ...predicateChecks(p.when ?? [], "when", "the rule can never match, so these calls would never wait for approval"),
    ...notifyChecks(p, expires),
  ];
  return failures(path, checks);
}

const isChannelList = (xs: unknown): boolean =>
  Array.isArray(xs) && xs.length > 0 && xs.every((x) => (NOTIFY_CHANNELS as readonly unknown[]).includes(x));
const within = (n: unknown, expires: number): boolean =>
  Number.isInteger(n) && (n as number) >= 1 && (n as number) < expires;

/** The routing, reminder and escalation of `notify`: a reminder or escalation that could never happen is an error. */
function notifyChecks(p: ApprovalRuleProps, expires: number): ValidationCheck[] {
  const n = p.notify;
  if (!n) return [];
  const esc = n.escalation;
  return [
    {
      condition: n.channels !== undefined && !isChannelList(n.channels),
      message: `notify.channels must be a non-empty list of ${NOTIFY_CHANNELS.join(", ")}, received ${shown(n.channels)}`,
    },
    {
      condition: n.group !== undefined && !isValidName(n.group),
      message: `notify.group ${shown(n.group)} is not valid, expected ${NAME_EXPECTED}`,
    },
    {
      condition: n.remindBeforeSeconds !== undefined && !within(n.remindBeforeSeconds, expires),
      message: `notify.remindBeforeSeconds must be an integer from 1 to less than expiresAfterSeconds (${expires}), received ${shown(n.remindBeforeSeconds)}`,
    },
    {
      condition: esc !== undefined && !within(esc.afterSeconds, expires),
      message: `notify.escalation.afterSeconds must be an integer from 1 to less than expiresAfterSeconds (${expires}), received ${shown(esc?.afterSeconds)}`,
    },
    {
      condition: esc !== undefined && !isValidName(esc.group),
      message: `notify.escalation.group ${shown(esc?.group)} is not valid, expected ${NAME_EXPECTED}`,
    },
    {
      condition: esc?.channels !== undefined && !isChannelList(esc.channels),
      message: `notify.escalation.channels must be a non-empty list of ${NOTIFY_CHANNELS.join(", ")}, received ${shown(esc?.channels)}`,
    },
  ];
}
