/**
 * The approval rule that asked for approval, in words, for the approver's page: which calls it
 * gates, under which argument conditions, who may approve and how many must. Written once when
 * the request is made, so the page shows the rule as it was, whatever the bundle says later.
 */
import type { ApprovalRule, ArgumentPredicate } from "../policy-model/schema";

const OPS: Record<ArgumentPredicate["op"], (p: ArgumentPredicate) => string> = {
  equals: (p) => `${p.path} is ${JSON.stringify(p.value)}`,
  contains: (p) => `${p.path} contains ${JSON.stringify(p.value)}`,
  regex: (p) => `${p.path} matches /${String(p.value)}/`,
  gt: (p) => `${p.path} is greater than ${String(p.value)}`,
  gte: (p) => `${p.path} is at least ${String(p.value)}`,
  lt: (p) => `${p.path} is less than ${String(p.value)}`,
  lte: (p) => `${p.path} is at most ${String(p.value)}`,
  lengthGt: (p) => `${p.path} has more than ${String(p.value)} items`,
  exists: (p) => (p.value ? `${p.path} is present` : `${p.path} is absent`),
};

const list = (xs: readonly string[]): string =>
  xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;

export function describeRule(rule: ApprovalRule): string {
  const calls = `Calls to ${list(rule.tools)} on ${list(rule.servers)}`;
  const when = rule.when.length ? ` when ${rule.when.map((p) => OPS[p.op](p)).join(" and ")}` : "";
  const who = [...rule.approvers.roles.map((r) => `role ${r}`), ...rule.approvers.groups.map((g) => `group ${g}`)];
  const count = rule.count === 1 ? "one approver" : `${rule.count} different approvers`;
  const reason = rule.requireReason ? " The requester must give a reason." : "";
  if (rule.confirm === "requester-only")
    return `${calls}${when} need the requester's own confirmation (no second person).${reason}`;
  const confirm = rule.confirm === "requester" ? " The requester must also confirm the call." : "";
  return `${calls}${when} need ${count} holding ${list(who) || "no role (misconfigured)"}, never the requester; undecided after ${duration(rule.expiresAfterSeconds)} means denied.${reason}${confirm}`;
}

function duration(s: number): string {
  if (s % 86400 === 0) return `${s / 86400} day${s === 86400 ? "" : "s"}`;
  if (s % 3600 === 0) return `${s / 3600} hour${s === 3600 ? "" : "s"}`;
  if (s % 60 === 0) return `${s / 60} minute${s === 60 ? "" : "s"}`;
  return `${s} seconds`;
}
