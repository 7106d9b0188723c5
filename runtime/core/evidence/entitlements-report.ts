/**
 * `entitlements`: a snapshot, as of the end of the period, of who can call which server and
 * tools, through which app role or group, standing or just-in-time, with the last time each was
 * used (from the trail) and the last access-review decision. Also a JSON document shaped for
 * compliance tools (`entitlements.compliance.json`, schema `gatehouse.entitlements/v1`,
 * documented in docs/evidence.md).
 *
 * Exception `removal_not_applied`: the latest review decision for an entitlement is `remove`,
 * yet the snapshot still grants it.
 */
import type { AccessRule, PolicyBundle } from "../policy-model/schema";
import type { AuditRecord } from "../audit/record-schema";
import { matchesAny } from "../policy-model/glob";
import { compareRecords, indexApprovals, indexToolCalls } from "./call-index";
import { accessReviewDetails, callDetails, type AccessReviewDetails } from "./details-fields";
import { inPeriod, recordsInPeriod } from "./period";
import type { EvidenceException, ReportInput, ReportResult, Row } from "./report-types";

export const ENTITLEMENTS_REPORT = { name: "entitlements", version: "1.0.0" } as const;
export const COMPLIANCE_SCHEMA = "gatehouse.entitlements/v1";

export const ENTITLEMENTS_COLUMNS = [
  "entitlementId",
  "server",
  "ruleId",
  "principalType",
  "principal",
  "mode",
  "jitMaxMinutes",
  "jitGrant",
  "toolsAllowed",
  "toolsDenied",
  "argumentConstraints",
  "lastUsedAt",
  "lastUsedBy",
  "useCountInPeriod",
  "lastReviewDecision",
  "lastReviewedAt",
  "lastReviewer",
  "policyVersion",
  "policyCommit",
] as const;

export interface Entitlement {
  readonly id: string;
  readonly server: string;
  readonly rule: AccessRule;
  readonly principalType: "appRole" | "group" | "app";
  readonly principal: string;
}

export function entitlementId(
  ruleId: string,
  server: string,
  type: "appRole" | "group" | "app",
  principal: string,
): string {
  return `${ruleId}/${server}/${type === "appRole" ? "role" : type}:${principal}`;
}

/** Every (rule, server, principal) of a bundle, in bundle order. */
export function entitlementsOf(bundle: PolicyBundle): Entitlement[] {
  const out: Entitlement[] = [];
  for (const rule of bundle.access) {
    for (const server of rule.servers) {
      for (const role of rule.principals.roles)
        out.push({
          id: entitlementId(rule.id, server, "appRole", role),
          server,
          rule,
          principalType: "appRole",
          principal: role,
        });
      for (const group of rule.principals.groups)
        out.push({
          id: entitlementId(rule.id, server, "group", group),
          server,
          rule,
          principalType: "group",
          principal: group,
        });
      for (const app of rule.principals.apps ?? [])
        out.push({
          id: entitlementId(rule.id, server, "app", app),
          server,
          rule,
          principalType: "app",
          principal: app,
        });
    }
  }
  return out;
}

/** The bundle in force at the end of the period: the last supplied version seen in it, else the first supplied. */
export function snapshotBundle(input: ReportInput): PolicyBundle | null {
  const recs = recordsInPeriod(input.chains, input.period).sort(compareRecords).reverse();
  for (const r of recs) {
    const b = input.bundles.find((x) => x.version === r.policyVersion);
    if (b) return b;
  }
  return input.bundles[0] ?? null;
}

/**
 * Whether a call used an entitlement: same server, same principal, and the access rule that
 * allowed it. An approved call's `decision.ruleId` names the approval rule; the gateway writes
 * the access rule in details.accessRuleId on every allowed request record. Records without it
 * (written before it did) count for the rules whose tool globs allow the tool.
 */
function usedBy(e: Entitlement, r: AuditRecord, accessRuleIds: ReadonlySet<string>): boolean {
  if (r.target.server !== e.server) return false;
  const ruleId = callDetails(r).accessRuleId ?? r.decision.ruleId;
  if (ruleId && accessRuleIds.has(ruleId)) {
    if (ruleId !== e.rule.id) return false;
  } else {
    const tool = r.action.name ?? "";
    if (!matchesAny(e.rule.tools.allow, tool) || matchesAny(e.rule.tools.deny, tool)) return false;
  }
  if ((e.rule.mode === "jit") !== (r.actor.via === "jit")) return false;
  // A JIT session token carries no roles or groups: its use counts for every principal of its rule.
  if (r.actor.via === "jit" && r.actor.roles.length === 0 && r.actor.groups.length === 0) return true;
  // A machine uses only the entitlements that name its client id; a person never uses an app's.
  if (e.principalType === "app" || r.actor.kind === "app")
    return e.principalType === "app" && r.actor.appId === e.principal;
  return e.principalType === "appRole" ? r.actor.roles.includes(e.principal) : r.actor.groups.includes(e.principal);
}

/** Latest access-review decision per entitlement id, up to the end of the period. */
export function latestReviews(
  records: readonly AuditRecord[],
  to: string,
): Map<string, { record: AuditRecord; details: AccessReviewDetails }> {
  const out = new Map<string, { record: AuditRecord; details: AccessReviewDetails }>();
  for (const r of [...records].sort(compareRecords)) {
    if (r.kind !== "access_review.decision" || new Date(r.time).toISOString() >= to) continue;
    const d = accessReviewDetails(r);
    if (d) out.set(d.entitlementId, { record: r, details: d });
  }
  return out;
}

export interface EntitlementRowsOptions {
  readonly server?: string;
}

export function entitlementRows(
  input: ReportInput,
  opts: EntitlementRowsOptions = {},
): { rows: Row[]; bundle: PolicyBundle | null; exceptions: EvidenceException[] } {
  const bundle = snapshotBundle(input);
  if (!bundle) return { rows: [], bundle: null, exceptions: [] };
  const all = [...input.chains.values()].flat();
  const calls = indexToolCalls(all, indexApprovals(all)).filter(
    (c) => c.executedBy && new Date(c.request.time).toISOString() < input.period.to,
  );
  const reviews = latestReviews(all, input.period.to);
  const accessRuleIds = new Set(bundle.access.map((a) => a.id));
  const rows: Row[] = [];
  const exceptions: EvidenceException[] = [];
  for (const e of entitlementsOf(bundle)) {
    if (opts.server && e.server !== opts.server) continue;
    const uses = calls
      .filter((c) => usedBy(e, c.request, accessRuleIds))
      .map((c) => c.request)
      .sort(compareRecords);
    const last = uses[uses.length - 1];
    const review = reviews.get(e.id);
    rows.push({
      entitlementId: e.id,
      server: e.server,
      ruleId: e.rule.id,
      principalType: e.principalType,
      principal: e.principal,
      mode: e.rule.mode,
      jitMaxMinutes: e.rule.mode === "jit" ? e.rule.jit.maxMinutes : null,
      jitGrant: e.rule.mode === "jit" ? e.rule.jit.grant : null,
      toolsAllowed: e.rule.tools.allow.join(" "),
      toolsDenied: e.rule.tools.deny.join(" "),
      argumentConstraints: e.rule.argumentConstraints.length,
      lastUsedAt: last?.time ?? null,
      lastUsedBy: last ? (last.actor.username ?? last.actor.oid) : null,
      useCountInPeriod: uses.filter((u) => inPeriod(u.time, input.period)).length,
      lastReviewDecision: review?.details.decision ?? null,
      lastReviewedAt: review?.details.reviewedAt ?? null,
      lastReviewer: review ? (review.details.reviewer.username ?? review.details.reviewer.oid) : null,
      policyVersion: bundle.version,
      policyCommit: bundle.commit,
    });
    if (review?.details.decision === "remove") {
      exceptions.push({
        kind: "removal_not_applied",
        message: `reviewer ${review.details.reviewer.username ?? review.details.reviewer.oid} decided to remove ${e.id} on ${review.details.reviewedAt}, but policy version ${bundle.version.slice(0, 12)} still grants it`,
        eventIds: [review.record.id],
        chainId: review.record.chainId,
        seq: review.record.seq,
        subject: e.id,
      });
    }
  }
  return { rows, bundle, exceptions };
}

/** The compliance-tool document (schema gatehouse.entitlements/v1). */
export function complianceDocument(rows: readonly Row[], bundle: PolicyBundle | null, asOf: string): unknown {
  return {
    schema: COMPLIANCE_SCHEMA,
    system: "gatehouse",
    asOf,
    policyVersion: bundle?.version ?? null,
    policyCommit: bundle?.commit ?? null,
    entitlements: rows.map((r) => ({
      id: r.entitlementId,
      resource: { type: "mcp-server", name: r.server },
      permissions: {
        tools: { allow: splitList(r.toolsAllowed), deny: splitList(r.toolsDenied) },
        argumentConstraints: r.argumentConstraints,
      },
      principal: { type: r.principalType, id: r.principal },
      grantType: r.mode,
      jit: r.mode === "jit" ? { maxMinutes: r.jitMaxMinutes, grant: r.jitGrant } : null,
      sourceRule: r.ruleId,
      lastUsedAt: r.lastUsedAt,
      lastUsedBy: r.lastUsedBy,
      review: r.lastReviewDecision
        ? { decision: r.lastReviewDecision, reviewer: r.lastReviewer, reviewedAt: r.lastReviewedAt }
        : null,
    })),
  };
}

function splitList(v: unknown): string[] {
  return typeof v === "string" && v.length > 0 ? v.split(" ") : [];
}

export function entitlementsReport(input: ReportInput): ReportResult {
  const { rows, bundle, exceptions } = entitlementRows(input);
  const doc = complianceDocument(rows, bundle, input.period.to);
  return {
    report: ENTITLEMENTS_REPORT.name,
    version: ENTITLEMENTS_REPORT.version,
    columns: ENTITLEMENTS_COLUMNS,
    rows,
    exceptions,
    extraFiles: [{ name: "entitlements.compliance.json", content: JSON.stringify(doc, null, 2) + "\n" }],
  };
}
