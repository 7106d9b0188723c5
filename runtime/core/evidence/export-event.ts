/**
 * The `evidence.exported` audit record: every evidence export, from the API or the CLI, is itself
 * evidence — who exported, which report, which period and filters, how many records and rows, and
 * the sha256 of the manifest.json handed out (which lists the sha256 of every file, so the record
 * pins the whole package). API and CLI (`evidence` and `audit export`) build it here so all write
 * the same shape.
 */
import { sha256Hex } from "../policy-model/canonical-json";
import type { Actor, AuditEventInput } from "../audit/record-schema";
import type { EvidencePackage } from "./evidence-package";

/**
 * How the exporter was identified: `entra` (a token the gateway verified), `token_claims` (claims
 * of a token the CLI was given, not verified by it) or `os_user` (the CLI's operating-system user).
 */
export type ExporterSource = "entra" | "token_claims" | "os_user";

/** What an export handed out: an evidence package, or an `audit export` file and its manifest. */
export interface ExportSummary {
  readonly report: { readonly name: string; readonly version: string };
  readonly period: { readonly from: string; readonly to: string };
  readonly filters: Record<string, unknown>;
  readonly recordCount: number;
  readonly rowCount: number;
  readonly exceptionCount: number;
  /** sha256 of the manifest handed out (it lists the sha256 of every file). */
  readonly manifestSha256: string;
  readonly files: readonly { readonly name: string; readonly sha256: string; readonly bytes: number }[];
}

export interface ExportEventInput {
  readonly summary: ExportSummary;
  readonly actor: Partial<Actor> & Pick<Actor, "oid" | "tenantId" | "username">;
  readonly actorSource: ExporterSource;
  /** `api` or `cli`. */
  readonly via: "api" | "cli";
  /** The HTTP route, or the command line as run. */
  readonly method: string;
  readonly policyVersion: string | null;
}

/** sha256 of the package's manifest.json bytes, as written into the directory and the zip. */
export function manifestSha256(pkg: EvidencePackage): string {
  const m = pkg.files.find((f) => f.name === "manifest.json");
  if (!m) throw new TypeError("the evidence package has no manifest.json");
  return sha256Hex(m.content);
}

export function packageSummary(pkg: EvidencePackage): ExportSummary {
  const m = pkg.manifest;
  return {
    report: m.report,
    period: m.period,
    filters: m.filters,
    recordCount: m.recordCount,
    rowCount: m.rowCount,
    exceptionCount: m.exceptionCount,
    manifestSha256: manifestSha256(pkg),
    files: m.files,
  };
}

export function exportedEvent(e: ExportEventInput): AuditEventInput {
  const m = e.summary;
  return {
    kind: "evidence.exported",
    policyVersion: e.policyVersion,
    actor: e.actor,
    action: { method: e.method, name: m.report.name },
    decision: { outcome: "allowed" },
    // The summary is what packageSummary took from the manifest: recorded as it is.
    details: { via: e.via, actorSource: e.actorSource, ...m },
  };
}
