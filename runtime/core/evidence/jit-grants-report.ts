/**
 * `jit-grants`: every just-in-time grant of the period (requester, approver, reason, duration,
 * scope, revocation, use), flagging:
 * - `jit_longer_than_rule`: granted for longer than its access rule's `jit.maxMinutes`;
 * - `jit_without_reason`: granted with an empty reason;
 * - `jit_rule_unverifiable`: the rule is not in any supplied bundle, so the duration is unchecked.
 */
import type { AccessRule, PolicyBundle } from "../policy-model/schema";
import type { AuditRecord } from "../audit/record-schema";
import { bundleFor } from "./bundle-lookup";
import { approvalApprovers } from "./approvals-report";
import { compareRecords, indexApprovals, isToolCallRequest } from "./call-index";
import { jitDetails, type JitDetails } from "./details-fields";
import { inPeriod } from "./period";
import type { EvidenceException, ReportInput, ReportResult, Row } from "./report-types";
import { pushTo } from "./multimap";

export const JIT_GRANTS_REPORT = { name: "jit-grants", version: "1.0.0" } as const;

export const JIT_GRANTS_COLUMNS = [
  "grantId",
  "eventId",
  "requestedAt",
  "chainId",
  "seq",
  "requesterOid",
  "requesterUsername",
  "server",
  "ruleId",
  "reason",
  "state",
  "grantedAt",
  "minutes",
  "expiresAt",
  "approvalId",
  "approvers",
  "deniedAt",
  "deniedReason",
  "revokedAt",
  "revokedBy",
  "revokeReason",
  "callCount",
  "lastUsedAt",
] as const;

interface Grant {
  id: string;
  records: AuditRecord[];
}

function grantId(r: AuditRecord): string | null {
  return r.session.jitGrantId ?? jitDetails(r).grantId ?? null;
}

/** The access rule a grant names, from the bundle it was granted under, else any supplied bundle. */
function ruleOf(bundles: readonly PolicyBundle[], version: string | null, ruleId: string | null): AccessRule | null {
  if (!ruleId) return null;
  const preferred = bundleFor(bundles, version);
  for (const b of preferred ? [preferred, ...bundles] : bundles) {
    const rule = b.access.find((a) => a.id === ruleId);
    if (rule) return rule;
  }
  return null;
}

function merged(records: readonly AuditRecord[]): JitDetails {
  // Later events (granted) refine earlier ones (requested); undefined never overwrites.
  const out: Record<string, unknown> = {};
  for (const r of records) for (const [k, v] of Object.entries(jitDetails(r))) if (v !== undefined) out[k] = v;
  return out as JitDetails;
}

/**
 * Groups jit.* records into grants. jit.granted/revoked carry the grant id; a jit.requested (on
 * the approval path, before a grant exists) and a jit.denied carry none, so they are attached to
 * the next grant or denial of the same requester, server and rule (else they stand alone).
 */
function groupGrants(all: readonly AuditRecord[]): Map<string, Grant> {
  const grants = new Map<string, Grant>();
  const open = new Map<string, Grant>();
  const keyOf = (r: AuditRecord) =>
    `${r.actor.oid}|${jitDetails(r).server ?? r.target.server}|${jitDetails(r).ruleId ?? r.decision.ruleId ?? ""}`;
  for (const r of all) {
    if (!r.kind.startsWith("jit.")) continue;
    const id = grantId(r);
    if (id) {
      let g = grants.get(id);
      if (!g) {
        const pending = r.kind === "jit.granted" ? open.get(keyOf(r)) : undefined;
        if (pending) open.delete(keyOf(r));
        g = { id, records: pending ? [...pending.records] : [] };
        if (pending) grants.delete(pending.id);
        grants.set(id, g);
      }
      g.records.push(r);
    } else if (r.kind === "jit.requested") {
      // A repeated request while one is open (the client retries after approval) is the same request.
      const pending = open.get(keyOf(r));
      if (pending) pending.records.push(r);
      else {
        const g = { id: `request:${r.id}`, records: [r] };
        grants.set(g.id, g);
        open.set(keyOf(r), g);
      }
    } else {
      const pending =
        open.get(keyOf(r)) ??
        [...open.entries()].find(([k]) => k.startsWith(`${r.actor.oid}|${r.target.server}|`))?.[1];
      if (pending) {
        pending.records.push(r);
        for (const [k, v] of open) if (v === pending) open.delete(k);
      } else grants.set(`record:${r.id}`, { id: `record:${r.id}`, records: [r] });
    }
  }
  return grants;
}

export function jitGrantsReport(input: ReportInput): ReportResult {
  const all = [...input.chains.values()].flat().sort(compareRecords);
  const grants = groupGrants(all);
  const approvals = indexApprovals(all);
  const uses = new Map<string, AuditRecord[]>();
  for (const r of all) {
    const id = r.session.jitGrantId;
    if (id && isToolCallRequest(r)) pushTo(uses, id, r);
  }
  const rows: Row[] = [];
  const exceptions: EvidenceException[] = [];
  for (const g of [...grants.values()].sort((x, y) => compareRecords(x.records[0], y.records[0]))) {
    const first = g.records[0];
    if (!inPeriod(first.time, input.period)) continue;
    const of = (kind: string) => g.records.find((r) => r.kind === kind) ?? null;
    const requested = of("jit.requested");
    const granted = of("jit.granted");
    const denied = of("jit.denied");
    const revoked = of("jit.revoked");
    // The grant's own facts come from the request and the grant; a revocation or denial is written
    // by someone else or carries the refusal, not the requester's reason.
    const d = merged(g.records.filter((r) => r.kind === "jit.requested" || r.kind === "jit.granted"));
    const asker = requested ?? granted ?? denied;
    const requester =
      d.requester ?? (asker?.actor.oid ? { oid: asker.actor.oid, username: asker.actor.username } : null);
    const reason = d.reason ?? granted?.decision.reason ?? requested?.decision.reason ?? null;
    const approvalId = granted?.decision.approvalId ?? denied?.decision.approvalId ?? null;
    const approval = approvalId ? approvals.get(approvalId) : undefined;
    const approvers = granted?.decision.approvers.length
      ? granted.decision.approvers
      : approval
        ? approvalApprovers(approval)
        : [];
    const ruleId = d.ruleId ?? granted?.decision.ruleId ?? requested?.decision.ruleId ?? null;
    const minutes =
      d.minutes ??
      (granted && d.expiresAt ? Math.round((Date.parse(d.expiresAt) - Date.parse(granted.time)) / 60000) : null);
    const used = uses.get(g.id) ?? [];
    const state = revoked ? "revoked" : denied ? "denied" : granted ? "granted" : "pending";
    rows.push({
      grantId: g.id.includes(":") ? null : g.id,
      eventId: first.id,
      requestedAt: requested?.time ?? null,
      chainId: first.chainId,
      seq: first.seq,
      requesterOid: requester?.oid ?? null,
      requesterUsername: requester?.username ?? null,
      server: d.server ?? first.target.server,
      ruleId,
      reason,
      state,
      grantedAt: granted?.time ?? null,
      minutes,
      expiresAt: d.expiresAt ?? null,
      approvalId,
      approvers: approvers.map((p) => p.username ?? p.oid).join(" "),
      deniedAt: denied?.time ?? null,
      deniedReason: denied?.decision.reason ?? null,
      revokedAt: revoked?.time ?? null,
      revokedBy: revoked ? (revoked.actor.username ?? revoked.actor.oid) : null,
      revokeReason: revoked?.decision.reason ?? (revoked ? (jitDetails(revoked).reason ?? null) : null),
      callCount: used.length,
      lastUsedAt: used.length ? used[used.length - 1].time : null,
    });
    if (!granted) continue;
    const at = (kind: string, message: string) =>
      exceptions.push({
        kind,
        message,
        eventIds: [granted.id],
        chainId: granted.chainId,
        seq: granted.seq,
        subject: g.id,
      });
    if (!reason || reason.trim() === "") at("jit_without_reason", `grant ${g.id} was granted without a reason`);
    const rule = ruleOf(input.bundles, granted.policyVersion, ruleId);
    if (!rule)
      at("jit_rule_unverifiable", `grant ${g.id} names rule ${ruleId ?? "(none)"}, which no supplied bundle contains`);
    else if (minutes !== null && minutes > rule.jit.maxMinutes) {
      at(
        "jit_longer_than_rule",
        `grant ${g.id} lasts ${minutes} minutes; rule ${rule.id} allows at most ${rule.jit.maxMinutes}`,
      );
    }
  }
  return {
    report: JIT_GRANTS_REPORT.name,
    version: JIT_GRANTS_REPORT.version,
    columns: JIT_GRANTS_COLUMNS,
    rows,
    exceptions,
  };
}
