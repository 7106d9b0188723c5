/**
 * Writes the CLI's `evidence.exported` record through the configured audit store, on the CLI's
 * own chain, BEFORE any file of the export is written: an export that cannot be recorded is not
 * made (fail closed, as the API does). Used by `evidence <report>` and `audit export`.
 */
import type { BlobServiceClient } from "@azure/storage-blob";
import { openBlobAuditSink } from "../core/audit/blob-audit-sink";
import type { AuditRecord } from "../core/audit/record-schema";
import { exportedEvent, type ExportSummary } from "../core/evidence/export-event";
import type { Signer } from "../core/signing/signer";
import { logger } from "../core/telemetry/logger";
import { CliError } from "./cli-error";
import type { CliIdentity } from "./cli-identity";
import { commandLine } from "./command-line";

export interface RecordExportOptions {
  readonly blobService: BlobServiceClient;
  readonly container: string;
  readonly chainId: string;
  readonly summary: ExportSummary;
  readonly who: CliIdentity;
  readonly policyVersion: string | null;
  /** Signs the CLI chain's checkpoint at close, so `audit verify` finds it covered. @default - no checkpoint */
  readonly signer?: Signer;
}

export async function recordExport(o: RecordExportOptions): Promise<AuditRecord> {
  const who = o.who;
  const event = exportedEvent({
    summary: o.summary,
    actor: who.actor,
    actorSource: who.source,
    via: "cli",
    method: commandLine(),
    policyVersion: o.policyVersion,
  });
  // Audit records are also log lines on stdout; here stdout is the command's output.
  logger.level = "warn";
  try {
    const sink = await openBlobAuditSink({
      blobService: o.blobService,
      container: o.container,
      chainId: o.chainId,
      signer: o.signer,
    });
    try {
      return await sink.write(event);
    } finally {
      await sink.close();
    }
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new CliError(
      `the export could not be recorded in the audit trail (${why}); nothing was written. ` +
        `Every export is audited: writing needs append rights on the ${o.container} container (Storage Blob Data Contributor) — or ask an Auditor to export it through the gateway's /api/evidence`,
      3,
    );
  }
}
