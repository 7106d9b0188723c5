/**
 * `gatehouse evidence <report> --from <iso> --to <iso> --out <dir> [--json]` — runs one of the
 * fixed, versioned evidence reports over the audit trail and writes CSV, JSONL, manifest.json and
 * a zip into <dir>. Also:
 * - `gatehouse evidence access-review --record <decisions.csv> --reviewer <name>`: records each
 *   decision of a filled review file as an `access_review.decision` audit record;
 * - `gatehouse evidence verify <dir|zip>`: checks a package (file hashes, completeness, sample proofs).
 *
 * Source of the trail, as for `gatehouse audit`: --connection-string or --blob-url (Entra sign-in),
 * else GATEHOUSE_STORAGE_CONNECTION_STRING / GATEHOUSE_STORAGE_BLOB_URL, else the local stack. Policy: --policy <bundle.json> (repeatable, for
 * earlier versions too), else the declared policies.
 */
import fs from "node:fs";
import os from "node:os";
import type { BlobServiceClient } from "@azure/storage-blob";
import type { Command } from "commander";
import type { JWK } from "jose";
import type { PolicyBundle } from "../../../policies/schema";
import { readLocalStack } from "../../../dev/local-stack-file";
import { readAuditTrail, type AuditTrail } from "../../core/audit/audit-reader";
import { readPublishedKeys } from "../../core/audit/checkpoint-store";
import { openBlobAuditSink } from "../../core/audit/blob-audit-sink";
import { StoreNotConfiguredError, isStoreUnreachable, resolveStore, storeClient } from "../../core/audit/audit-store";
import { isGatehouseError } from "../../core/errors";
import { loadBundleFile } from "../../core/policy/load-bundle";
import { repoRoot } from "../../core/repo-root";
import { logger } from "../../core/telemetry/logger";
import {
  DecisionsFileError,
  INSTANT_FORMS,
  REPORT_NAMES,
  decisionEvents,
  gitCommitCheck,
  isReportName,
  parseDecisions,
  parsePeriod,
  runReport,
  signEvidencePackage,
  verifyEvidencePackage,
  writeEvidencePackage,
} from "../../core/evidence";
import { CliError } from "../cli-error";
import { recordExport } from "../record-export";
import { cliIdentity } from "../cli-identity";
import { cliSigner } from "../cli-signer";
import { commandLine } from "../command-line";
import { localStackFor } from "../local-stack-context";

interface EvidenceOptions {
  from?: string;
  to?: string;
  out?: string;
  json?: boolean;
  ids?: string;
  connectionString?: string;
  blobUrl?: string;
  container: string;
  policy: string[];
  publicKey?: string;
  repo?: string;
  record?: string;
  reviewer?: string;
  reviewerOid?: string;
  chain: string;
  failOnExceptions?: boolean;
  token?: string;
  signingKeyFile?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
}

/**
 * The bundles records are checked against: --policy, else the bundle the local stack's gateway
 * runs (when the store is that stack's) followed by the declared policies.
 */
async function loadBundles(opts: EvidenceOptions): Promise<PolicyBundle[]> {
  try {
    if (opts.policy.length > 0) return opts.policy.map((p) => loadBundleFile(p));
    const local = localStackFor(opts)?.policyBundleFile;
    // The declared policies pull in the construct library: loaded only when no bundle is given.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildDeclaredBundle } = require("../../../policies/index") as typeof import("../../../policies/index");
    const declared = buildDeclaredBundle({ cwd: repoRoot() });
    if (!local) return [declared];
    const running = loadBundleFile(local);
    return running.version === declared.version ? [running] : [running, declared];
  } catch (e) {
    if (isGatehouseError(e)) throw new CliError(`${e.message}\nfix the bundle or pass another with --policy <bundle.json>`, 2);
    throw e;
  }
}

function readJwks(file: string): JWK[] {
  try {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as JWK | { keys: JWK[] };
    return "keys" in json && Array.isArray(json.keys) ? json.keys : [json as JWK];
  } catch (e) {
    throw new CliError(`cannot read the public key ${file}: ${(e as Error).message}; pass a JWK or a JWK set`, 2);
  }
}

/** Trust anchors for checkpoint signatures: given, else the local stack's, else the ones published beside the trail. */
async function publicKeys(opts: EvidenceOptions, blobService?: BlobServiceClient): Promise<{ keys: JWK[]; from: string }> {
  if (opts.publicKey) return { keys: readJwks(opts.publicKey), from: opts.publicKey };
  const stack = readLocalStack();
  if (stack) return { keys: [stack.signingPublicJwk as unknown as JWK], from: "local stack" };
  // No container yet (nothing audited) means no published keys either.
  if (blobService) return { keys: await readPublishedKeys(blobService.getContainerClient(opts.container)).catch(() => []), from: "published in the audit container" };
  return { keys: [], from: "none" };
}

/** The audit store, resolved as `gatehouse audit` does (flags, environment, local stack). */
async function blobClient(opts: EvidenceOptions): Promise<BlobServiceClient> {
  let location;
  try {
    location = resolveStore({ connectionString: opts.connectionString, blobUrl: opts.blobUrl });
  } catch (e) {
    throw new CliError(e instanceof StoreNotConfiguredError ? e.message : `cannot read the local stack's store settings: ${(e as Error).message}`, 2);
  }
  try {
    return await storeClient(location);
  } catch (e) {
    throw new CliError(`the ${location.kind} is not valid (${(e as Error).message}); check --connection-string / --blob-url or their environment variables`, 2);
  }
}

function storeError(e: unknown, url: string): unknown {
  if (!isStoreUnreachable(e) && !(isGatehouseError(e) && e.code === "ERR_AUDIT_UNAVAILABLE")) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new CliError(`the audit store at ${url.split("?")[0]} is unreachable (${msg.split("\n")[0]}); is it running, and are the credentials right (az login for --blob-url)?`, 3);
}

async function runVerify(target: string | undefined, opts: EvidenceOptions): Promise<void> {
  if (!target) throw new CliError("usage: gatehouse evidence verify <dir|zip>", 2);
  if (!fs.existsSync(target)) throw new CliError(`${target} does not exist: pass an evidence directory or its zip`, 2);
  const { keys } = opts.publicKey ? { keys: readJwks(opts.publicKey) } : await publicKeys(opts);
  // A key the user passed is a request to check authorship: an unsigned manifest then fails.
  const v = verifyEvidencePackage(target, { publicJwks: keys, requireSignature: opts.publicKey !== undefined });
  const signature = {
    valid: "manifest signature valid",
    unchecked: "manifest signed, signature NOT checked (pass --public-key <gateway-key.jwk.json>)",
    unsigned: "manifest NOT signed: authorship cannot be checked",
    invalid: "manifest signature INVALID",
    unknown_key: "manifest signed with another key",
  }[v.signature ?? "unsigned"];
  if (opts.json) process.stdout.write(JSON.stringify({ ok: v.ok, report: v.manifest?.report ?? null, signature: v.signature, problems: v.problems }) + "\n");
  else process.stdout.write(v.ok ? `OK: ${target} verifies (${v.manifest!.files.length} files, ${v.manifest!.recordCount} records; ${signature})\n` : `FAILED: ${target}\n  ${v.problems.join("\n  ")}\n`);
  if (!v.ok) process.exitCode = 1;
}

async function runRecord(opts: EvidenceOptions): Promise<void> {
  if (!opts.reviewer) throw new CliError("--record needs --reviewer <username> (the reviewer's identity recorded with each decision)", 2);
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
    if (e instanceof DecisionsFileError || e instanceof TypeError) throw new CliError(`${e.message}\nnothing was recorded; fix the file and run again`, 2);
    throw e;
  }
  const reviewer = { oid: opts.reviewerOid ?? opts.reviewer, username: opts.reviewer };
  const events = decisionEvents(parsed.decisions, reviewer, new Date().toISOString(), bundle ?? null);
  // Audit records are also log lines on stdout; here stdout is the command's output.
  logger.level = "warn";
  const blobService = await blobClient(opts);
  let ids: string[] = [];
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
  if (opts.json) process.stdout.write(JSON.stringify({ recorded: ids.length, skipped: parsed.skipped, chainId: opts.chain, eventIds: ids }) + "\n");
  else process.stdout.write(`recorded ${ids.length} decision(s) by ${opts.reviewer} on chain ${opts.chain}; ${parsed.skipped} row(s) without a decision were skipped\n`);
}

async function runEvidence(report: string, extra: string | undefined, opts: EvidenceOptions): Promise<void> {
  if (report === "verify") return runVerify(extra, opts);
  if (!isReportName(report)) throw new CliError(`unknown report "${report}": choose one of ${REPORT_NAMES.join(", ")}, or verify`, 2);
  if (report === "access-review" && opts.record) return runRecord(opts);
  if (!opts.from || !opts.to || !opts.out) throw new CliError("--from <date>, --to <date> and --out <dir> are required (e.g. --from 2026-01-01 --to 2026-04-01 --out evidence/q1)", 2);
  let period;
  try {
    period = parsePeriod(opts.from, opts.to);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const ids = opts.ids?.split(",").map((s) => s.trim()).filter(Boolean);
  if (report === "sample" && !ids?.length) throw new CliError("sample needs --ids <id,...> (event ids from another report)", 2);
  const bundles = await loadBundles(opts);
  const blobService = await blobClient(opts);
  let trail: AuditTrail;
  let keys: { keys: JWK[]; from: string };
  try {
    trail = await readAuditTrail({ blobService, container: opts.container, onProgress: (d, t) => progress(`reading the audit trail: ${d}/${t} blobs`) });
    keys = await publicKeys(opts, blobService);
  } catch (e) {
    throw storeError(e, blobService.url);
  }
  progress("");
  const repo = opts.repo ?? repoRoot();
  const signing = await cliSigner(opts, localStackFor(opts));
  const who = cliIdentity(opts.token ?? process.env.GATEHOUSE_TOKEN);
  const version = (JSON.parse(fs.readFileSync(`${repoRoot()}/package.json`, "utf8")) as { version: string }).version;
  const extractedAt = new Date().toISOString();
  let outcome;
  try {
    outcome = runReport({
      report,
      period,
      trail,
      bundles,
      ids,
      source: { type: "azure-blob", endpoint: blobService.url.split("?")[0], container: opts.container },
      publicJwks: keys.keys,
      commitCheck: gitCommitCheck(repo),
      options: { publicKeys: keys.from },
      extractedAt,
      generatorVersion: version,
      producedBy: {
        command: commandLine(),
        kql: null,
        user: { oid: who.actor.oid, username: who.actor.username, source: who.source },
        at: extractedAt,
        tool: { name: "gatehouse", version },
      },
      signed: signing !== null,
    });
  } catch (e) {
    if (isGatehouseError(e) && e.code === "ERR_AUDIT_CHAIN_BROKEN") {
      throw new CliError(`${e.message}\nno evidence was written; run gatehouse audit verify for the details`, 1);
    }
    throw e;
  }
  const pkg = signing ? await signEvidencePackage(outcome.pkg, signing.signer) : outcome.pkg;
  const exported = await recordExport({
    blobService,
    container: opts.container,
    chainId: opts.chain,
    pkg,
    who,
    signer: signing?.signer,
    policyVersion: bundles[0]?.version ?? null,
  });
  const written = await writeEvidencePackage(opts.out, pkg);
  const m = pkg.manifest;
  if (opts.json) {
    process.stdout.write(JSON.stringify({ manifest: m, zip: { path: written.zipPath, sha256: written.zipSha256 }, exceptions: outcome.result.exceptions, exportRecord: { id: exported.id, chainId: exported.chainId, seq: exported.seq } }) + "\n");
  } else {
    const lines = [
      `${m.report.name} v${m.report.version}: ${m.rowCount} row(s), ${m.exceptionCount} exception(s), from ${m.recordCount} record(s) in ${m.chains.length} chain(s)`,
      `period: ${m.period.from} .. ${m.period.to} (to exclusive); chains: ${m.chainVerification?.summary ?? "not verified"}`,
      ...outcome.result.exceptions.slice(0, 20).map((x) => `  exception ${x.kind}: ${x.message}`),
      ...(m.chains.length === 0 ? [`warning: the audit container ${opts.container} holds no chains: is this the right store?`] : []),
      `written to ${written.dir}: ${written.files.join(", ")}`,
      `zip: ${written.zipPath} sha256 ${written.zipSha256}`,
      signing
        ? `manifest signed with key ${signing.signer.kid} (${signing.from}); check offline: gatehouse evidence verify ${written.zipPath} --public-key <gateway-key.jwk.json>`
        : "manifest NOT signed: no signing key (--signing-key-file, GATEHOUSE_SIGNING_KEY_FILE, or GATEHOUSE_KEYVAULT_URL + GATEHOUSE_SIGNING_KEY_NAME)",
      `recorded as audit event ${exported.id} (evidence.exported, chain ${exported.chainId} seq ${exported.seq}) by ${exported.actor.username ?? exported.actor.oid}`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
  }
  if (opts.failOnExceptions && m.exceptionCount > 0) process.exitCode = 1;
}

export function register(program: Command): void {
  program
    .command("evidence")
    .description(`run an evidence report (${REPORT_NAMES.join(", ")}) into CSV, JSONL, manifest.json and a zip; or verify a package`)
    .argument("<report>", `${REPORT_NAMES.join(" | ")} | verify`)
    .argument("[path]", "verify: the evidence directory or zip")
    .option("--from <date>", `start of the audit period (inclusive): ${INSTANT_FORMS}`)
    .option("--to <date>", "end of the audit period (exclusive), same forms")
    .option("--out <dir>", "directory to write the package into")
    .option("--json", "print the manifest (or the verification) as JSON")
    .option("--ids <ids>", "sample: comma-separated event ids")
    .option("--record <decisions.csv>", "access-review: record the decisions of a filled review CSV as audit records")
    .option("--reviewer <username>", "access-review --record: the reviewer's username")
    .option("--reviewer-oid <oid>", "access-review --record: the reviewer's Entra object id (default: the username)")
    .option("--chain <id>", "the audit chain this CLI appends its records to (evidence.exported, access-review decisions)", `cli-${os.hostname().replace(/[^A-Za-z0-9._-]/g, "-")}`)
    .option("--signing-key-file <jwk.json>", "the gateway's checkpoint key (private JWK) to sign manifest.json (default: GATEHOUSE_SIGNING_KEY_FILE, GATEHOUSE_KEYVAULT_URL + GATEHOUSE_SIGNING_KEY_NAME, or the local stack's key)")
    .option("--token <jwt>", "your Entra token: names you in the evidence.exported record (claims not verified by the CLI; default GATEHOUSE_TOKEN, else your OS user)")
    .option("--connection-string <cs>", "audit storage (default: GATEHOUSE_STORAGE_CONNECTION_STRING, else --blob-url, else the local stack)")
    .option("--blob-url <url>", "blob endpoint, signing in with your Azure identity (az login; Storage Blob Data Reader); default $GATEHOUSE_STORAGE_BLOB_URL")
    .option("--container <name>", "audit container", "audit")
    .option("--policy <bundle.json>", "policy bundle(s) the records were decided under; repeatable (default: the declared policies)", collect, [])
    .option("--public-key <jwk.json>", "public key (JWK or JWK set) for checkpoint signatures (default: the local stack's, else the keys published in the container)")
    .option("--repo <dir>", "git repository the policy commits come from (default: this repository)")
    .option("--fail-on-exceptions", "exit 1 when the report has exceptions")
    .addHelpText(
      "after",
      "\nExamples:\n  gatehouse evidence approvals --from 2026-01-01T00:00:00Z --to 2026-04-01T00:00:00Z --out evidence/q1-approvals\n" +
        "  gatehouse evidence sample --ids <id1>,<id2> --from ... --to ... --out evidence/sample\n" +
        "  gatehouse evidence access-review --record access-review-customers.csv --reviewer owner@example.com\n" +
        "  gatehouse evidence verify evidence/q1-approvals/approvals-evidence.zip\n",
    )
    .action(async (report: string, extra: string | undefined, opts: EvidenceOptions) => runEvidence(report, extra, opts));
}
