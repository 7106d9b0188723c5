/**
 * `gatehouse evidence <report> --from <date> --to <date> --out <dir> [--json]` — runs one of the
 * fixed, versioned evidence reports over the audit trail and writes CSV, JSONL, README.md,
 * manifest.json (signed when the gateway's key is available) and a zip into <dir>, after
 * recording the export in the audit trail (`evidence.exported`; no record, no files). Also:
 * - `gatehouse evidence access-review --record <decisions.csv> --reviewer <name>` (evidence-record.ts);
 * - `gatehouse evidence verify <dir|zip>` (evidence-verify.ts).
 *
 * Source of the trail, as for `gatehouse audit`: --connection-string or --blob-url (Entra sign-in),
 * else GATEHOUSE_STORAGE_CONNECTION_STRING / GATEHOUSE_STORAGE_BLOB_URL, else the local stack.
 * Policy: --policy <bundle.json> (repeatable, for earlier versions too), else the local stack's
 * running bundle (when its store is read) and the declared policies (evidence-inputs.ts).
 */
import fs from "node:fs";
import os from "node:os";
import type { Command } from "commander";
import type { JWK } from "jose";
import { readAuditTrail, type AuditTrail } from "../../core/audit/audit-reader";
import { isGatehouseError } from "../../core/errors";
import { repoRoot } from "../../core/repo-root";
import {
  INSTANT_FORMS,
  REPORT_NAMES,
  gitCommitCheck,
  isReportName,
  packageSummary,
  parsePeriod,
  runReport,
  signEvidencePackage,
  writeEvidencePackage,
} from "../../core/evidence";
import { CliError } from "../cli-error";
import { recordExport } from "../record-export";
import { blobClient, loadBundles, publicKeys, storeError } from "../evidence-inputs";
import { runVerify } from "../evidence-verify";
import { runRecord } from "../evidence-record";
import { cliIdentity } from "../cli-identity";
import { cliSigner } from "../cli-signer";
import { commandLine } from "../command-line";
import { localStackFor } from "../local-stack-context";
import { collect as collectStore, mergeTrails, storesOf, type StoreChains } from "../audit-stores";

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

/** The options as parsed: the store flags repeatable (one store per region). */
type ParsedEvidenceOptions = Omit<EvidenceOptions, "connectionString" | "blobUrl"> & {
  connectionString?: string[];
  blobUrl?: string[];
};

/**
 * Every region's trail as one population (repeated --connection-string / --blob-url): the trails
 * merged, and the keys each store publishes when no --public-key is given.
 */
async function readStores(
  opts: EvidenceOptions,
  stores: { connectionString?: string; blobUrl?: string }[],
): Promise<{ trail: AuditTrail; keys: { keys: JWK[]; from: string }; stores: StoreChains[] }> {
  const parts: { store: string; trail: AuditTrail }[] = [];
  const keys: JWK[] = [];
  const from: string[] = [];
  for (const one of stores) {
    const storeOpts = { ...opts, connectionString: one.connectionString, blobUrl: one.blobUrl };
    const blobService = await blobClient(storeOpts);
    const endpoint = blobService.url.split("?")[0];
    try {
      parts.push({
        store: endpoint,
        trail: await readAuditTrail({
          blobService,
          container: opts.container,
          onProgress: (d, t) => progress(`reading ${endpoint}: ${d}/${t} blobs`),
        }),
      });
      if (!opts.publicKey) {
        const found = await publicKeys(storeOpts, blobService);
        keys.push(...found.keys);
        from.push(`${found.from} (${endpoint})`);
      }
    } catch (e) {
      throw storeError(e, blobService.url);
    }
  }
  const merged = mergeTrails(parts);
  return {
    trail: merged.trail,
    stores: merged.stores,
    keys: opts.publicKey ? await publicKeys(opts) : { keys, from: from.join("; ") },
  };
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}\x1b[K`);
}

async function runEvidence(report: string, extra: string | undefined, parsed: ParsedEvidenceOptions): Promise<void> {
  const stores = storesOf(parsed);
  // The first store is the one the export is recorded in (and the one of a single-store run).
  const opts: EvidenceOptions = {
    ...parsed,
    connectionString: stores[0]?.connectionString,
    blobUrl: stores[0]?.blobUrl,
  };
  if (report === "verify") return runVerify(extra, opts);
  if (!isReportName(report))
    throw new CliError(`unknown report "${report}": choose one of ${REPORT_NAMES.join(", ")}, or verify`, 2);
  if (report === "access-review" && opts.record) return runRecord(opts);
  if (!opts.from || !opts.to || !opts.out)
    throw new CliError(
      "--from <date>, --to <date> and --out <dir> are required (e.g. --from 2026-01-01 --to 2026-04-01 --out evidence/q1)",
      2,
    );
  let period;
  try {
    period = parsePeriod(opts.from, opts.to);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const ids = opts.ids
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (report === "sample" && !ids?.length)
    throw new CliError("sample needs --ids <id,...> (event ids from another report)", 2);
  const bundles = await loadBundles(opts);
  const blobService = await blobClient(opts);
  let trail: AuditTrail;
  let keys: { keys: JWK[]; from: string };
  let owners: StoreChains[] | undefined;
  if (stores.length > 1) {
    ({ trail, keys, stores: owners } = await readStores(opts, stores));
  } else {
    try {
      trail = await readAuditTrail({
        blobService,
        container: opts.container,
        onProgress: (d, t) => progress(`reading the audit trail: ${d}/${t} blobs`),
      });
      keys = await publicKeys(opts, blobService);
    } catch (e) {
      throw storeError(e, blobService.url);
    }
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
      // Several stores: no single endpoint; each store and its chains are listed (their ranges in `chains`).
      source: owners
        ? {
            type: "azure-blob",
            endpoint: null,
            container: opts.container,
            stores: owners.map((o) => ({ endpoint: o.store, chains: o.chains })),
          }
        : { type: "azure-blob", endpoint: blobService.url.split("?")[0], container: opts.container },
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
    summary: packageSummary(pkg),
    who,
    signer: signing?.signer,
    policyVersion: bundles[0]?.version ?? null,
  });
  const written = await writeEvidencePackage(opts.out, pkg);
  const m = pkg.manifest;
  if (opts.json) {
    process.stdout.write(
      JSON.stringify({
        manifest: m,
        zip: { path: written.zipPath, sha256: written.zipSha256 },
        exceptions: outcome.result.exceptions,
        exportRecord: { id: exported.id, chainId: exported.chainId, seq: exported.seq },
      }) + "\n",
    );
  } else {
    const lines = [
      `${m.report.name} v${m.report.version}: ${m.rowCount} row(s), ${m.exceptionCount} exception(s), from ${m.recordCount} record(s) in ${m.chains.length} chain(s)`,
      `period: ${m.period.from} .. ${m.period.to} (to exclusive); chains: ${m.chainVerification?.summary ?? "not verified"}`,
      ...outcome.result.exceptions.slice(0, 20).map((x) => `  exception ${x.kind}: ${x.message}`),
      ...(m.chains.length === 0
        ? [`warning: the audit container ${opts.container} holds no chains: is this the right store?`]
        : []),
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
    .description(
      `run an evidence report (${REPORT_NAMES.join(", ")}) into CSV, JSONL, README.md, a signed manifest.json and a zip (each export is itself audited); or verify a package`,
    )
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
    .option(
      "--chain <id>",
      "the audit chain this CLI appends its records to (evidence.exported, access-review decisions)",
      `cli-${os.hostname().replace(/[^A-Za-z0-9._-]/g, "-")}`,
    )
    .option(
      "--signing-key-file <jwk.json>",
      "the gateway's checkpoint key (private JWK) to sign manifest.json (default: GATEHOUSE_SIGNING_KEY_FILE, GATEHOUSE_KEYVAULT_URL + GATEHOUSE_SIGNING_KEY_NAME, or the local stack's key)",
    )
    .option(
      "--token <jwt>",
      "your Entra token: names you in the evidence.exported record (claims not verified by the CLI; default GATEHOUSE_TOKEN, else your OS user)",
    )
    .option(
      "--connection-string <cs>",
      "audit storage (default: GATEHOUSE_STORAGE_CONNECTION_STRING, else --blob-url, else the local stack); repeat it, or mix with --blob-url, to read every region's store as one population (the export is recorded in the first)",
      collectStore,
    )
    .option(
      "--blob-url <url>",
      "blob endpoint, signing in with your Azure identity (az login; Storage Blob Data Reader); default $GATEHOUSE_STORAGE_BLOB_URL; repeatable",
      collectStore,
    )
    .option("--container <name>", "audit container", "audit")
    .option(
      "--policy <bundle.json>",
      "policy bundle(s) the records were decided under; repeatable (default: the declared policies)",
      collect,
      [],
    )
    .option(
      "--public-key <jwk.json>",
      "public key (JWK or JWK set) for checkpoint signatures (default: the local stack's, else the keys published in the container)",
    )
    .option("--repo <dir>", "git repository the policy commits come from (default: this repository)")
    .option("--fail-on-exceptions", "exit 1 when the report has exceptions")
    .addHelpText(
      "after",
      "\nExamples:\n  gatehouse evidence approvals --from 2026-01-01 --to 2026-04-01 --out evidence/q1-approvals\n" +
        "  gatehouse evidence sample --ids <id1>,<id2> --from ... --to ... --out evidence/sample\n" +
        "  gatehouse evidence access-review --record access-review-customers.csv --reviewer owner@example.com\n" +
        "  gatehouse evidence verify evidence/q1-approvals/approvals-evidence.zip\n",
    )
    .action(async (report: string, extra: string | undefined, opts: ParsedEvidenceOptions) =>
      runEvidence(report, extra, opts),
    );
}
