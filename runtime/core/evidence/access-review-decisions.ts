/**
 * Turns a filled access-review CSV into `access_review.decision` audit events (one per decided
 * row), so review decisions live in the same tamper-evident trail as the access they judge.
 * Rows with an empty decision are not reviewed and are skipped (and counted). Every problem of the
 * file is reported at once, with its line number, before anything is written.
 */
import type { PolicyBundle } from "../policy-model/schema";
import type { AuditEventInput } from "../audit/record-schema";
import { parseCsv } from "./csv";
import type { AccessReviewDetails, PrincipalRef } from "./details-fields";
import { entitlementsOf } from "./entitlements-report";

export class DecisionsFileError extends TypeError {
  constructor(readonly problems: readonly string[]) {
    super(`the decisions file has ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
    this.name = "DecisionsFileError";
  }
}

export interface ReviewDecision {
  readonly line: number;
  readonly entitlementId: string;
  readonly server: string;
  readonly ruleId: string;
  readonly principal: string;
  readonly decision: "keep" | "remove";
  readonly reason: string;
}

export function parseDecisions(
  csvText: string,
  bundle: PolicyBundle | null,
): { decisions: ReviewDecision[]; skipped: number } {
  const table = parseCsv(csvText);
  const header = table[0] ?? [];
  const col = (name: string) => header.indexOf(name);
  const problems: string[] = [];
  for (const required of ["entitlementId", "decision", "reason"]) {
    if (col(required) < 0)
      problems.push(`line 1: missing column ${required} (use the CSV written by \`gatehouse evidence access-review\`)`);
  }
  if (problems.length) throw new DecisionsFileError(problems);
  const known = bundle ? new Map(entitlementsOf(bundle).map((e) => [e.id, e])) : null;
  const decisions: ReviewDecision[] = [];
  let skipped = 0;
  table.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? "").trim() : "");
    const id = get("entitlementId");
    const decision = get("decision").toLowerCase();
    const reason = get("reason");
    if (decision === "") {
      skipped++;
      return;
    }
    if (decision !== "keep" && decision !== "remove")
      return void problems.push(`line ${line}: decision must be keep or remove, got ${JSON.stringify(decision)}`);
    if (reason === "") return void problems.push(`line ${line}: a reason is required for every decision`);
    const m = /^([^/]+)\/([^/]+)\/(role|group):(.+)$/.exec(id);
    if (!m)
      return void problems.push(`line ${line}: ${JSON.stringify(id)} is not an entitlement id (rule/server/role:Name)`);
    if (known && !known.has(id))
      return void problems.push(
        `line ${line}: entitlement ${id} is not in policy version ${bundle!.version.slice(0, 12)}`,
      );
    decisions.push({ line, entitlementId: id, ruleId: m[1], server: m[2], principal: m[4], decision, reason });
  });
  if (problems.length) throw new DecisionsFileError(problems);
  return { decisions, skipped };
}

/** The audit events recording each decision, by `reviewer`, at `reviewedAt`. */
export function decisionEvents(
  decisions: readonly ReviewDecision[],
  reviewer: PrincipalRef,
  reviewedAt: string,
  bundle: PolicyBundle | null,
): AuditEventInput[] {
  return decisions.map((d) => {
    const details: AccessReviewDetails = {
      entitlementId: d.entitlementId,
      server: d.server,
      ruleId: d.ruleId,
      principal: d.principal,
      decision: d.decision,
      reviewer,
      reason: d.reason,
      reviewedAt,
    };
    return {
      kind: "access_review.decision",
      policyVersion: bundle?.version ?? null,
      policyCommit: bundle?.commit ?? null,
      actor: { oid: reviewer.oid, tenantId: null, username: reviewer.username, via: "none" },
      target: { server: d.server },
      action: { method: "access_review", name: d.entitlementId },
      decision: { outcome: "info", ruleId: d.ruleId, reason: d.reason },
      details,
    };
  });
}
