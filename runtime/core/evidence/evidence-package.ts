/**
 * Builds an evidence package from a report result: `<report>.csv`, `<report>.jsonl`,
 * `<report>.exceptions.csv`, `<report>.exceptions.jsonl`, the report's extra files, `README.md`
 * (column dictionary, completeness, how to verify), and `manifest.json` listing the sha256 of
 * every one of them. Pure: the writer and the API both use it (signing is a separate step).
 */
import { sha256Hex } from "../policy-model/canonical-json";
import { toCsv } from "./csv";
import { completenessStatement } from "./completeness";
import {
  EvidenceManifestSchema,
  MANIFEST_VERSION,
  type EvidenceManifest,
  type ProducedBy,
  type SourceStore,
} from "./manifest-schema";
import { packageReadme } from "./package-readme";
import type { ChainRange } from "./period";
import { EXCEPTION_COLUMNS, exceptionRow, type Period, type ReportResult } from "./report-types";

export interface PackageMeta {
  readonly generatorVersion: string;
  readonly source: {
    readonly type: string;
    readonly endpoint: string | null;
    readonly container: string;
    readonly stores?: readonly SourceStore[];
  };
  readonly filters: Record<string, unknown>;
  readonly period: Period;
  readonly extractedAt: string;
  readonly chains: readonly ChainRange[];
  readonly chainVerification: { ok: boolean; summary: string } | null;
  readonly suppliedPolicyVersions: readonly string[];
  readonly commitCheck: "git" | "unverifiable";
  /** Command, user and time of the export. @default - not recorded (the manifest says less) */
  readonly producedBy?: ProducedBy;
  /** Whether the manifest will be signed (the README says how to check it). @default false */
  readonly signed?: boolean;
}

export interface PackageFile {
  readonly name: string;
  readonly content: Buffer;
}

export interface EvidencePackage {
  readonly manifest: EvidenceManifest;
  /** Every file, manifest.json last. */
  readonly files: readonly PackageFile[];
}

function jsonl(items: readonly unknown[]): string {
  return items.map((i) => JSON.stringify(i)).join("\n") + (items.length ? "\n" : "");
}

export function buildEvidencePackage(result: ReportResult, meta: PackageMeta): EvidencePackage {
  const name = result.report;
  const recordCount = meta.chains.reduce((n, c) => n + c.recordCount, 0);
  const described = {
    manifestVersion: MANIFEST_VERSION as typeof MANIFEST_VERSION,
    report: { name, version: result.version },
    generator: { name: "gatehouse" as const, version: meta.generatorVersion },
    // A SAS in the endpoint would be a credential: the manifest keeps scheme, host and path only.
    source: {
      type: meta.source.type,
      endpoint: meta.source.endpoint?.split("?")[0] ?? null,
      container: meta.source.container,
      chains: meta.chains.map((c) => c.chainId),
      ...(meta.source.stores
        ? { stores: meta.source.stores.map((s) => ({ endpoint: s.endpoint.split("?")[0], chains: [...s.chains] })) }
        : {}),
    },
    filters: meta.filters,
    period: meta.period,
    extractedAt: meta.extractedAt,
    recordCount,
    rowCount: result.rows.length,
    exceptionCount: result.exceptions.length,
    chains: [...meta.chains],
    chainVerification: meta.chainVerification,
    policy: { suppliedVersions: [...meta.suppliedPolicyVersions], commitCheck: meta.commitCheck },
    ...(meta.producedBy ? { producedBy: meta.producedBy } : {}),
    completeness: completenessStatement({
      period: meta.period,
      chains: meta.chains,
      rowCount: result.rows.length,
      exceptionCount: result.exceptions.length,
      sampled: name === "sample",
    }),
  };
  const files: PackageFile[] = [
    { name: `${name}.csv`, content: Buffer.from(toCsv(result.columns, result.rows)) },
    { name: `${name}.jsonl`, content: Buffer.from(jsonl(result.documents ?? result.rows)) },
    {
      name: `${name}.exceptions.csv`,
      content: Buffer.from(toCsv(EXCEPTION_COLUMNS, result.exceptions.map(exceptionRow))),
    },
    { name: `${name}.exceptions.jsonl`, content: Buffer.from(jsonl(result.exceptions)) },
    ...(result.extraFiles ?? []).map((f) => ({ name: f.name, content: Buffer.from(f.content) })),
  ];
  const readme = packageReadme({
    manifest: described,
    columns: result.columns,
    extraFiles: result.extraFiles ?? [],
    signed: meta.signed === true,
  });
  files.push({ name: "README.md", content: Buffer.from(readme) });
  const manifest = EvidenceManifestSchema.parse({
    ...described,
    files: files.map((f) => ({ name: f.name, sha256: sha256Hex(f.content), bytes: f.content.length })),
  });
  return {
    manifest,
    files: [...files, { name: "manifest.json", content: Buffer.from(JSON.stringify(manifest, null, 2) + "\n") }],
  };
}
