/**
 * Audit exports: the records of a period (optionally of one user or server) exactly as stored,
 * and a manifest saying how they were produced — filters, extraction time, counts, per chain the
 * seq range and hashes at both ends, the checkpoints covering it, the file's sha256 — so an
 * auditor can tell a complete population from a filtered list and re-verify it offline.
 */
import { z } from "zod";
import { sha256Hex } from "../policy-model/canonical-json";
import type { AuditRecord } from "./record-schema";
import type { AuditTrail } from "./audit-reader";
import { CheckpointSchema, type Checkpoint } from "./checkpoint";
import type { ChainProblem } from "./chain-verifier";

export interface ExportFilters {
  readonly from: string;
  readonly to: string;
  /** Username (or its part before '@') or object id. */
  readonly user?: string;
  readonly server?: string;
}

const ChainRangeSchema = z.object({
  chainId: z.string(),
  records: z.number().int().nonnegative(),
  firstSeq: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  /** prevHash of the first exported record: where the segment hangs on the chain. */
  firstPrevHash: z.string(),
  firstHash: z.string(),
  lastHash: z.string(),
});

export const ExportManifestSchema = z.object({
  kind: z.literal("gatehouse.audit.export"),
  version: z.literal(1),
  source: z.object({ account: z.string().nullable(), container: z.string() }),
  filters: z.object({ from: z.string(), to: z.string(), user: z.string().nullable(), server: z.string().nullable() }),
  /** True when only the period was filtered: per chain the records form one unbroken segment. */
  complete: z.boolean(),
  extractedAt: z.string(),
  format: z.enum(["jsonl", "csv"]),
  file: z.object({
    name: z.string(),
    sha256: z.string(),
    bytes: z.number().int().nonnegative(),
    records: z.number().int().nonnegative(),
  }),
  chains: z.array(ChainRangeSchema),
  /** Signed checkpoints of the exported chains that fall in, or first follow, each exported range. */
  checkpoints: z.array(CheckpointSchema),
  /** How the source verified at extraction time (the export copies what is stored, tampered or not). */
  sourceVerification: z.object({ ok: z.boolean(), problems: z.array(z.record(z.string(), z.unknown())) }),
});
export type ExportManifest = z.infer<typeof ExportManifestSchema>;

export interface SelectedExport {
  readonly records: { record: AuditRecord; line: string }[];
  readonly chains: z.infer<typeof ChainRangeSchema>[];
  readonly checkpoints: Checkpoint[];
}

export function matchesFilters(r: AuditRecord, f: ExportFilters): boolean {
  if (!(r.time >= f.from && r.time < f.to)) return false;
  if (f.server && r.target.server !== f.server) return false;
  if (f.user) {
    const u = f.user.toLowerCase();
    const name = r.actor.username?.toLowerCase() ?? "";
    if (!(name === u || name.split("@")[0] === u || r.actor.oid === f.user)) return false;
  }
  return true;
}

/** Picks the records of the export, chain by chain in seq order, with their stored lines. */
export function selectExport(trail: AuditTrail, f: ExportFilters): SelectedExport {
  const records: SelectedExport["records"] = [];
  const chains: SelectedExport["chains"] = [];
  const checkpoints: Checkpoint[] = [];
  for (const chainId of [...trail.chains.keys()].sort()) {
    const all = trail.chains.get(chainId)!;
    const lines = trail.lines?.get(chainId) ?? all.map((r) => JSON.stringify(r));
    const picked = all.map((record, i) => ({ record, line: lines[i] })).filter((x) => matchesFilters(x.record, f));
    if (picked.length === 0) continue;
    records.push(...picked);
    const first = picked[0].record;
    const last = picked[picked.length - 1].record;
    chains.push({
      chainId,
      records: picked.length,
      firstSeq: first.seq,
      lastSeq: last.seq,
      firstPrevHash: first.prevHash,
      firstHash: first.hash,
      lastHash: last.hash,
    });
    const cps = trail.checkpoints.filter((c) => c.chainId === chainId).sort((a, b) => a.seq - b.seq);
    const inRange = cps.filter((c) => c.seq >= first.seq && c.seq <= last.seq);
    const after = cps.find((c) => c.seq > last.seq);
    checkpoints.push(...inRange, ...(after ? [after] : []));
  }
  return { records, chains, checkpoints };
}

const CSV_COLUMNS = [
  "id",
  "time",
  "chainId",
  "seq",
  "kind",
  "actor_oid",
  "actor_username",
  "server",
  "method",
  "name",
  "outcome",
  "code",
  "ruleId",
  "approvalId",
  "approvers",
  "policyVersion",
  "policyCommit",
  "resultStatus",
  "hash",
] as const;

export function toCsv(records: readonly AuditRecord[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = records.map((r) =>
    [
      r.id,
      r.time,
      r.chainId,
      r.seq,
      r.kind,
      r.actor.oid,
      r.actor.username,
      r.target.server,
      r.action.method,
      r.action.name,
      r.decision.outcome,
      r.decision.code,
      r.decision.ruleId,
      r.decision.approvalId,
      r.decision.approvers.map((a) => a.username ?? a.oid).join(";"),
      r.policyVersion,
      r.policyCommit,
      r.result.status,
      r.hash,
    ]
      .map(cell)
      .join(","),
  );
  return [CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

export function buildManifest(input: {
  selected: SelectedExport;
  filters: ExportFilters;
  format: "jsonl" | "csv";
  fileName: string;
  body: Buffer;
  source: { account: string | null; container: string };
  sourceProblems: ChainProblem[];
}): ExportManifest {
  return ExportManifestSchema.parse({
    kind: "gatehouse.audit.export",
    version: 1,
    source: input.source,
    filters: {
      from: input.filters.from,
      to: input.filters.to,
      user: input.filters.user ?? null,
      server: input.filters.server ?? null,
    },
    complete: !input.filters.user && !input.filters.server,
    extractedAt: new Date().toISOString(),
    format: input.format,
    file: {
      name: input.fileName,
      sha256: sha256Hex(input.body),
      bytes: input.body.length,
      records: input.selected.records.length,
    },
    chains: input.selected.chains,
    checkpoints: input.selected.checkpoints,
    sourceVerification: {
      ok: input.sourceProblems.length === 0,
      problems: input.sourceProblems.map((p) => ({ ...p })),
    },
  });
}
