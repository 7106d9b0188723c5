/**
 * Runs one report over an audit trail read by the audit module, and builds its evidence package:
 * the piece the CLI and the API share. The whole trail is verified first with the audit module's
 * verifyChains; evidence from a trail that does not verify is refused (fail closed) with
 * GatehouseError ERR_AUDIT_CHAIN_BROKEN, whose details carry each chain's first problem.
 */
import type { JWK } from "jose";
import type { PolicyBundle } from "../policy-model/schema";
import type { AuditTrail } from "../audit/audit-reader";
import { verifyChains, type VerifyReport } from "../audit/chain-verifier";
import type { Checkpoint } from "../audit/checkpoint";
import { GatehouseError } from "../errors";
import { buildEvidencePackage, type EvidencePackage } from "./evidence-package";
import type { ProducedBy } from "./manifest-schema";
import { chainRanges } from "./period";
import { REPORTS } from "./report-registry";
import type { SourceStore } from "./manifest-schema";
import type { CheckpointRef, CommitCheck, Period, ReportResult } from "./report-types";

export interface RunReportOptions {
  readonly report: string;
  readonly period: Period;
  readonly trail: AuditTrail;
  readonly bundles: readonly PolicyBundle[];
  readonly source: {
    readonly type: string;
    readonly endpoint: string | null;
    readonly container: string;
    readonly stores?: readonly SourceStore[];
  };
  /** Public keys for checkpoint signatures (without them signatures are unchecked; the manifest says so). */
  readonly publicJwks?: readonly JWK[];
  readonly commitCheck?: CommitCheck | null;
  readonly ids?: readonly string[];
  /** Report options to record in the manifest's filters, besides the period. */
  readonly options?: Record<string, unknown>;
  readonly extractedAt: string;
  readonly generatorVersion: string;
  /** Command and user of the export, for the manifest and README. @default - not recorded */
  readonly producedBy?: ProducedBy;
  /** Whether the caller will sign the manifest (the README says how to check it). @default false */
  readonly signed?: boolean;
}

export interface RunReportOutcome {
  readonly result: ReportResult;
  readonly pkg: EvidencePackage;
  readonly verification: VerifyReport;
}

export function checkpointRefs(checkpoints: readonly Checkpoint[]): CheckpointRef[] {
  return checkpoints.map((cp) => ({ chainId: cp.chainId, seq: cp.seq, hash: cp.hash, time: cp.time, raw: cp }));
}

export function summarizeVerification(v: VerifyReport): string {
  const broken = v.chains.filter((c) => c.problem);
  const head = v.ok
    ? `${v.chains.length} chain(s) verified`
    : `${broken.length} of ${v.chains.length} chain(s) failed verification`;
  const details = broken.map(
    (c) => `${c.chainId}: ${c.problem!.kind} at seq ${c.problem!.seq} (${c.problem!.message})`,
  );
  return [head, ...details, ...v.warnings.map((w) => `warning: ${w}`)].join("; ");
}

export function runReport(opts: RunReportOptions): RunReportOutcome {
  const def = REPORTS[opts.report];
  if (!def)
    throw new TypeError(
      `unknown report ${JSON.stringify(opts.report)}: choose one of ${Object.keys(REPORTS).join(", ")}`,
    );
  const verification = verifyChains(opts.trail, { publicJwks: opts.publicJwks ? [...opts.publicJwks] : [] });
  if (!verification.ok) {
    throw new GatehouseError(
      "ERR_AUDIT_CHAIN_BROKEN",
      `the audit trail does not verify: ${summarizeVerification(verification)}`,
      {
        chains: verification.chains.filter((c) => c.problem).map((c) => ({ chainId: c.chainId, ...c.problem })),
      },
    );
  }
  const result = def.run({
    chains: opts.trail.chains,
    checkpoints: checkpointRefs(opts.trail.checkpoints),
    bundles: opts.bundles,
    period: opts.period,
    commitCheck: opts.commitCheck ?? undefined,
    ids: opts.ids,
  });
  const pkg = buildEvidencePackage(result, {
    generatorVersion: opts.generatorVersion,
    source: opts.source,
    filters: {
      report: opts.report,
      from: opts.period.from,
      to: opts.period.to,
      ...(opts.ids ? { ids: [...opts.ids] } : {}),
      ...(opts.options ?? {}),
    },
    period: opts.period,
    extractedAt: opts.extractedAt,
    chains: chainRanges(opts.trail.chains, opts.period),
    chainVerification: { ok: verification.ok, summary: summarizeVerification(verification) },
    suppliedPolicyVersions: opts.bundles.map((b) => b.version),
    commitCheck: opts.commitCheck ? "git" : "unverifiable",
    producedBy: opts.producedBy,
    signed: opts.signed,
  });
  return { result, pkg, verification };
}
