/**
 * `sample --ids`: for each sampled event id, the evidence an auditor tests it with: the masked
 * record (as stored), the other records of its call, its approval's records, the policy rules in
 * force, and the chain proof from the nearest signed checkpoint.
 *
 * The proof is the run of stored records from the sampled one up to the first checkpoint at or
 * after it: recomputing their hashes from the sampled record must end at the checkpoint's signed
 * hash (`covered`). When no checkpoint covers it yet, the proof runs from the last checkpoint
 * before it (`after-last-checkpoint`: proves the prefix only) or from the chain start (`unanchored`).
 */
import type { AuditRecord } from "../audit/record-schema";
import { approvalRuleFor, bundleFor } from "./bundle-lookup";
import { indexApprovals, indexToolCalls } from "./call-index";
import { callDetails } from "./details-fields";
import type { CheckpointRef, EvidenceException, ReportInput, ReportResult, Row } from "./report-types";
import { globMatch } from "../policy-model/glob";

export const SAMPLE_REPORT = { name: "sample", version: "1.0.0" } as const;

export const SAMPLE_COLUMNS = [
  "eventId",
  "kind",
  "time",
  "chainId",
  "seq",
  "actorUsername",
  "server",
  "tool",
  "outcome",
  "approvalId",
  "policyVersion",
  "rulesInForce",
  "proofStatus",
  "checkpointSeq",
  "checkpointHash",
  "proofLength",
] as const;

export type ProofStatus = "covered" | "after-last-checkpoint" | "unanchored";

export interface ChainProof {
  readonly chainId: string;
  readonly status: ProofStatus;
  readonly checkpoint: CheckpointRef | null;
  /** Stored records, in seq order, between the checkpoint and the sampled record (both ends included). */
  readonly records: readonly AuditRecord[];
}

export function chainProof(
  chain: readonly AuditRecord[],
  checkpoints: readonly CheckpointRef[],
  rec: AuditRecord,
): ChainProof {
  const mine = checkpoints.filter((c) => c.chainId === rec.chainId).sort((a, b) => a.seq - b.seq);
  const after = mine.find((c) => c.seq >= rec.seq);
  const bySeq = (lo: number, hi: number) => chain.filter((r) => r.seq >= lo && r.seq <= hi);
  if (after) return { chainId: rec.chainId, status: "covered", checkpoint: after, records: bySeq(rec.seq, after.seq) };
  const before = [...mine].reverse().find((c) => c.seq < rec.seq);
  if (before)
    return {
      chainId: rec.chainId,
      status: "after-last-checkpoint",
      checkpoint: before,
      records: bySeq(before.seq, rec.seq),
    };
  return { chainId: rec.chainId, status: "unanchored", checkpoint: null, records: bySeq(0, rec.seq) };
}

export function sampleReport(input: ReportInput): ReportResult {
  const all = [...input.chains.values()].flat();
  const byId = new Map(all.map((r) => [r.id, r]));
  const approvals = indexApprovals(all);
  const calls = indexToolCalls(all, approvals);
  const rows: Row[] = [];
  const documents: unknown[] = [];
  const exceptions: EvidenceException[] = [];
  for (const id of input.ids ?? []) {
    const rec = byId.get(id);
    if (!rec) {
      exceptions.push({
        kind: "sample_not_found",
        message: `no audit record has id ${id}`,
        eventIds: [id],
        chainId: null,
        seq: null,
        subject: id,
      });
      continue;
    }
    const call = calls.find((c) => c.requests.includes(rec) || c.responses.includes(rec));
    const approvalId = rec.decision.approvalId ?? call?.approvalId ?? null;
    const approval = approvalId ? approvals.get(approvalId) : undefined;
    const bundle = bundleFor(input.bundles, rec.policyVersion);
    const server = rec.target.server ?? "";
    const tool = rec.action.name ?? "";
    const accessRuleId = callDetails(rec).accessRuleId ?? rec.decision.ruleId;
    const rules = bundle
      ? {
          access: bundle.access.filter((a) => a.id === accessRuleId || a.id === rec.decision.ruleId),
          approval:
            rec.kind === "mcp.request" ? approvalRuleFor(bundle, server, tool, rec.action.arguments ?? {}) : null,
          guardrails: bundle.guardrails.filter(
            (g) => g.servers.some((s) => globMatch(s, server)) && g.tools.some((t) => globMatch(t, tool)),
          ),
          masking: bundle.masking.filter(
            (m) => m.servers.some((s) => globMatch(s, server)) && m.tools.some((t) => globMatch(t, tool)),
          ),
        }
      : null;
    const proof = chainProof(input.chains.get(rec.chainId) ?? [], input.checkpoints ?? [], rec);
    const ruleIds = rules
      ? [
          ...rules.access.map((a) => a.id),
          rules.approval?.id,
          ...rules.guardrails.map((g) => g.id),
          ...rules.masking.map((m) => m.id),
        ].filter(Boolean)
      : [];
    rows.push({
      eventId: rec.id,
      kind: rec.kind,
      time: rec.time,
      chainId: rec.chainId,
      seq: rec.seq,
      actorUsername: rec.actor.username,
      server: rec.target.server,
      tool: rec.action.name,
      outcome: rec.decision.outcome,
      approvalId,
      policyVersion: rec.policyVersion,
      rulesInForce: bundle ? ruleIds.join(" ") : "bundle not supplied",
      proofStatus: proof.status,
      checkpointSeq: proof.checkpoint?.seq ?? null,
      checkpointHash: proof.checkpoint?.hash ?? null,
      proofLength: proof.records.length,
    });
    documents.push({
      eventId: rec.id,
      record: rec,
      call: call ? { requests: call.requests, responses: call.responses } : null,
      approval: approval
        ? {
            requested: approval.requested,
            decided: approval.decided,
            expired: approval.expired,
            consumed: approval.consumed,
          }
        : null,
      policy: { version: rec.policyVersion, supplied: bundle !== null, rules },
      proof: { status: proof.status, checkpoint: proof.checkpoint?.raw ?? proof.checkpoint, records: proof.records },
    });
    if (!bundle) {
      exceptions.push({
        kind: "sample_policy_unavailable",
        message: `record ${rec.id} was decided under policy version ${rec.policyVersion ?? "(none)"}, which was not supplied`,
        eventIds: [rec.id],
        chainId: rec.chainId,
        seq: rec.seq,
        subject: rec.policyVersion,
      });
    }
  }
  return {
    report: SAMPLE_REPORT.name,
    version: SAMPLE_REPORT.version,
    columns: SAMPLE_COLUMNS,
    rows,
    exceptions,
    documents,
  };
}
