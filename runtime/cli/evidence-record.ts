/**
 * `gatehouse evidence access-review --record <decisions.csv> --reviewer <name>`: records each
 * decision of a filled review file as an `access_review.decision` audit record on the CLI's
 * chain; a file with any bad row records nothing.
 */
import fs from "node:fs";
import { openBlobAuditSink } from "../core/audit/blob-audit-sink";
import { DecisionsFileError, decisionEvents, parseDecisions } from "../core/evidence/access-review-decisions";
import { logger } from "../core/telemetry/logger";
import { CliError } from "./cli-error";
import { blobClient, loadBundles, storeError, type EvidenceSourceOptions } from "./evidence-inputs";

export interface RecordOptions extends EvidenceSourceOptions {
  record?: string;
  reviewer?: string;
  reviewerOid?: string;
  chain: string;
  json?: boolean;
}

export async function runRecord(opts: RecordOptions): Promise<void> {
  if (!opts.reviewer)
    throw new CliError("--record needs --reviewer <username> (the reviewer's identity recorded with each decision)", 2);
  let text: string;
  try {
    text = fs.readFileSync(opts.record!, "utf8");
  } catch {
    throw new CliError(`cannot read ${opts.record}: pass the filled access-review CSV`, 2);
  }
  const [bundle] = await loadBundles(opts);
  let parsed: ReturnType<typeof parseDecisions>;
  try {
    parsed = parseDecisions(text, bundle ?? null);
  } catch (e) {
    if (e instanceof DecisionsFileError || e instanceof TypeError)
      throw new CliError(`${e.message}\nnothing was recorded; fix the file and run again`, 2);
    throw e;
  }
  const reviewer = { oid: opts.reviewerOid ?? opts.reviewer, username: opts.reviewer };
  const events = decisionEvents(parsed.decisions, reviewer, new Date().toISOString(), bundle ?? null);
  // Audit records are also log lines on stdout; here stdout is the command's output.
  logger.level = "warn";
  const blobService = await blobClient(opts);
  let ids: string[];
  try {
    const sink = await openBlobAuditSink({ blobService, container: opts.container, chainId: opts.chain });
    try {
      ids = (await Promise.all(events.map((e) => sink.write(e)))).map((r) => r.id);
    } finally {
      await sink.close();
    }
  } catch (e) {
    throw storeError(e, blobService.url);
  }
  if (opts.json)
    process.stdout.write(
      JSON.stringify({ recorded: ids.length, skipped: parsed.skipped, chainId: opts.chain, eventIds: ids }) + "\n",
    );
  else
    process.stdout.write(
      `recorded ${ids.length} decision(s) by ${opts.reviewer} on chain ${opts.chain}; ${parsed.skipped} row(s) without a decision were skipped\n`,
    );
}
