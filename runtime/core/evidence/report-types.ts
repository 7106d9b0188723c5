/**
 * What every evidence report consumes and produces. Reports are pure functions of the audit
 * records of each chain, the policy bundle(s) and the period: no I/O, no clock, so the same
 * inputs always give the same evidence and the tests can pin every row.
 */
import type { PolicyBundle } from "../policy-model/schema";
import type { AuditRecord } from "../audit/record-schema";

/** The audit period: `from` inclusive, `to` exclusive, both ISO-8601 UTC instants. */
export interface Period {
  readonly from: string;
  readonly to: string;
}

/**
 * A signed chain head, as far as the evidence kit needs it. The audit engineer's checkpoint type
 * is wider (signature, key id, previous checkpoint hash); these fields are what a chain proof
 * anchors on.
 */
export interface CheckpointRef {
  readonly chainId: string;
  readonly seq: number;
  readonly hash: string;
  readonly time?: string | null;
  /** The checkpoint as stored (signature and all), copied into sample proofs untouched. */
  readonly raw?: unknown;
}

/** Whether a commit exists in the policy repository (`git cat-file -e`), when one is available. */
export type CommitCheck = (commit: string) => "found" | "missing" | "unverifiable";

export interface ReportInput {
  /** Every chain's records in seq order (the whole trail; reports cut the period themselves). */
  readonly chains: ReadonlyMap<string, readonly AuditRecord[]>;
  readonly checkpoints?: readonly CheckpointRef[];
  /** Bundles known to the caller (the current one first); matched to records by `version`. */
  readonly bundles: readonly PolicyBundle[];
  readonly period: Period;
  readonly commitCheck?: CommitCheck;
  /** `sample`: the event ids to sample. */
  readonly ids?: readonly string[];
}

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** A finding that must be empty in a healthy system. */
export interface EvidenceException {
  /** Stable kind, e.g. `self_approval` (documented in docs/evidence.md). */
  readonly kind: string;
  readonly message: string;
  /** Audit record ids the finding is about. */
  readonly eventIds: readonly string[];
  readonly chainId: string | null;
  readonly seq: number | null;
  readonly subject: string | null;
}

/** An extra file of a report (per-server access-review CSVs, the entitlements compliance JSON). */
export interface ExtraFile {
  readonly name: string;
  readonly content: string;
  /** A CSV's columns, for the package README's column dictionary. */
  readonly columns?: readonly string[];
}

export interface ReportResult {
  readonly report: string;
  readonly version: string;
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  readonly exceptions: readonly EvidenceException[];
  readonly extraFiles?: readonly ExtraFile[];
  /** Structured per-row data too rich for CSV (sample: record, approval, rules, proof). */
  readonly documents?: readonly unknown[];
}

export type ReportFn = (input: ReportInput) => ReportResult;

export const EXCEPTION_COLUMNS = ["kind", "message", "eventIds", "chainId", "seq", "subject"] as const;

export function exceptionRow(e: EvidenceException): Row {
  return {
    kind: e.kind,
    message: e.message,
    eventIds: e.eventIds.join(" "),
    chainId: e.chainId,
    seq: e.seq,
    subject: e.subject,
  };
}
