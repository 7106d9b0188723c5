/**
 * `gatehouse audit verify [--file <export.jsonl>]` and `gatehouse audit export ...` — the auditor's
 * tools over the audit container (Azurite or Azure) or an exported file. Exit codes: 0 everything
 * verifies; 1 a problem was found; 2 usage or input error; 3 the store is unreachable.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import type { JWK } from "jose";
import { CliError } from "../cli-error";
import { AUDIT_CONTAINER } from "../../core/audit/blob-layout";
import { readAuditTrail, type AuditTrail } from "../../core/audit/audit-reader";
import { verifyChains, type Anchor, type VerifyReport } from "../../core/audit/chain-verifier";
import { readPublishedKeys } from "../../core/audit/checkpoint-store";
import {
  ExportManifestSchema,
  buildManifest,
  selectExport,
  toCsv,
  type ExportManifest,
} from "../../core/audit/audit-export";
import { verifyExport } from "../../core/audit/export-verifier";
import {
  StoreNotConfiguredError,
  findLocalStack,
  isStoreUnreachable,
  resolveStore,
  storeClient,
} from "../../core/audit/audit-store";
import type { BlobServiceClient } from "@azure/storage-blob";
import { sha256Hex } from "../../core/policy-model/canonical-json";
import { cliIdentity } from "../cli-identity";
import { cliSigner } from "../cli-signer";
import { localStackFor } from "../local-stack-context";
import { recordExport } from "../record-export";
import { INSTANT_FORMS } from "../../core/evidence/instant";
import { parsePeriod } from "../../core/evidence/period";
import { collect, singleStore, storesOf, type StoreChains, type StoreFlags } from "../audit-stores";

interface StoreOptions {
  connectionString?: string;
  blobUrl?: string;
  container: string;
  publicKey?: string[];
  json?: boolean;
}

/** The options as parsed: the store flags repeatable (one store per region). */
type ParsedStoreOptions = Omit<StoreOptions, "connectionString" | "blobUrl"> & StoreFlags;

const progress = (label: string) => (done: number, total: number) => {
  if (process.stderr.isTTY) process.stderr.write(`\r${label} ${done}/${total}${done === total ? "\n" : ""}`);
};

function readJsonFile(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliError(`cannot read ${what} ${file}: ${(e as Error).message}`, 2);
  }
}

function loadKeys(files: string[] | undefined): JWK[] {
  return (files ?? []).flatMap((f) => {
    const v = readJsonFile(f, "public key") as JWK | JWK[] | { keys: JWK[] };
    return Array.isArray(v) ? v : "keys" in v && Array.isArray(v.keys) ? v.keys : [v as JWK];
  });
}

function loadAnchors(file: string | undefined): Anchor[] {
  if (!file) return [];
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  if (!text) throw new CliError(`cannot read anchors ${file}`, 2);
  const rows = (text.startsWith("[") ? JSON.parse(text) : text.split("\n").map((l) => JSON.parse(l))) as Record<
    string,
    unknown
  >[];
  // Rows as exported from Log Analytics carry the fields under Properties (or customDimensions).
  return rows.map((r) => {
    const p = (r.Properties ?? r.customDimensions ?? r) as Record<string, unknown>;
    return { chainId: String(p.chainId), seq: Number(p.seq), hash: String(p.hash) };
  });
}

async function openTrail(opts: StoreOptions): Promise<{
  trail: AuditTrail;
  client: BlobServiceClient;
  account: string | null;
  fallbackKeys: () => Promise<{ keys: JWK[]; fromStore: boolean }>;
}> {
  let location;
  try {
    location = resolveStore(opts);
  } catch (e) {
    if (e instanceof StoreNotConfiguredError) throw new CliError(e.message, 2);
    throw new CliError(`cannot read the local stack's store settings: ${(e as Error).message}`, 2);
  }
  let client;
  try {
    client = await storeClient(location);
  } catch (e) {
    throw new CliError(
      `the ${location.kind} is not valid (${(e as Error).message}); check --connection-string / --blob-url or their environment variables`,
      2,
    );
  }
  try {
    const trail = await readAuditTrail({
      blobService: client,
      container: opts.container,
      onProgress: progress("reading audit blobs"),
    });
    // Without --public-key: the local stack's recorded key for its own store, else the copy published in the store.
    const stack = location.kind === "connection-string" ? findLocalStack() : null;
    const stackKey = stack && stack.storageConnectionString === location.value ? stack.signingPublicJwk : null;
    const fallbackKeys = async (): Promise<{ keys: JWK[]; fromStore: boolean }> =>
      stackKey
        ? { keys: [stackKey], fromStore: false }
        : { keys: await readPublishedKeys(client.getContainerClient(opts.container)).catch(() => []), fromStore: true };
    return { trail, client, account: client.accountName || null, fallbackKeys };
  } catch (e) {
    if (isStoreUnreachable(e))
      throw new CliError(
        `the audit store at ${client.url} is unreachable (${(e as Error).message.split("\n")[0]}); is it running, and are the credentials right (az login for --blob-url)?`,
        3,
      );
    throw e;
  }
}

function printReport(
  report: VerifyReport & {
    gaps?: { chainId: string; fromSeq: number; toSeq: number }[];
    mode?: string;
    stores?: StoreChains[];
  },
  json: boolean | undefined,
): void {
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  } else {
    for (const s of report.stores ?? [])
      process.stdout.write(
        `store ${s.store}: ${s.chains.length} chain(s)${s.chains.length ? ` (${s.chains.join(", ")})` : ""}\n`,
      );
    for (const c of report.chains) {
      const range = c.records ? `seq ${c.firstSeq}..${c.lastSeq}` : "no records";
      const status = c.problem
        ? `PROBLEM ${c.problem.kind} at position ${c.problem.index} (seq ${c.problem.seq})${c.problem.where ? ` ${c.problem.where}` : ""}: ${c.problem.message}`
        : "ok";
      const tail = c.unsignedTail > 0 && c.checkpoints > 0 ? `, ${c.unsignedTail} after the newest` : "";
      const where = "store" in c ? ` in ${String(c.store)}` : "";
      process.stdout.write(
        `chain ${c.chainId}${where}: ${c.records} records (${range}), ${c.checkpoints} checkpoints (${c.verifiedCheckpoints} signature-verified${tail}): ${status}\n`,
      );
    }
    for (const g of report.gaps ?? [])
      process.stdout.write(`gap ${g.chainId} seq ${g.fromSeq}..${g.toSeq}: not in this export, not vouched for\n`);
    for (const w of report.warnings) process.stdout.write(`warning: ${w}\n`);
    const records = report.chains.reduce((n, c) => n + c.records, 0);
    process.stdout.write(
      `${report.ok ? "VERIFIED" : "FAILED"}: ${report.chains.length} chain(s), ${records} record(s)${report.mode ? ` (${report.mode})` : ""}\n`,
    );
  }
  process.exitCode = report.ok ? 0 : 1;
}

/**
 * Every region's store in one run: each store's chains verified against its own checkpoints (and
 * its own published keys unless --public-key is given), one verdict for all. Chains are per store:
 * a CLI chain of the same name in two stores (exports recorded per region) is two chains.
 */
async function verifyStores(
  opts: ParsedStoreOptions & { anchors?: string },
  stores: { connectionString?: string; blobUrl?: string }[],
): Promise<void> {
  const given = loadKeys(opts.publicKey);
  const anchors = loadAnchors(opts.anchors);
  const chains: (VerifyReport["chains"][number] & { store: string })[] = [];
  const warnings: string[] = [];
  const owners: StoreChains[] = [];
  for (const one of stores) {
    const o = await openTrail({ ...opts, connectionString: one.connectionString, blobUrl: one.blobUrl });
    const store = o.client.url.split("?")[0];
    if (owners.some((s) => s.store === store))
      throw new CliError(`the store ${store} is named twice: name each region's store once`, 2);
    const fallback = given.length ? null : await o.fallbackKeys();
    const report = verifyChains(o.trail, { publicJwks: fallback?.keys ?? given, anchors });
    chains.push(...report.chains.map((c) => ({ ...c, store })));
    warnings.push(...report.warnings.map((w) => `${store}: ${w}`));
    if (fallback?.fromStore && fallback.keys.length)
      warnings.push(
        `${store}: signatures were checked against keys published in that store; pass --public-key <jwk.json> (one per region) for an independent check`,
      );
    if (o.trail.chains.size === 0) warnings.push(`no audit chains found in container ${opts.container} of ${store}`);
    owners.push({ store, chains: [...o.trail.chains.keys()] });
  }
  printReport({ ok: chains.every((c) => !c.problem), chains, warnings, stores: owners }, opts.json);
}

async function verifyCommand(parsed: ParsedStoreOptions & { file?: string; anchors?: string }): Promise<void> {
  const stores = storesOf(parsed);
  if (stores.length > 1 && !parsed.file) return verifyStores(parsed, stores);
  const one = singleStore(parsed, "audit verify --file");
  const opts = { ...parsed, connectionString: one.connectionString, blobUrl: one.blobUrl };
  let keys = loadKeys(opts.publicKey);
  if (opts.file) {
    if (!fs.existsSync(opts.file)) throw new CliError(`no such export file: ${opts.file}`, 2);
    const body = fs.readFileSync(opts.file);
    const manifestFile = `${opts.file}.manifest.json`;
    let manifest: ExportManifest | null = null;
    if (fs.existsSync(manifestFile)) {
      const parsed = ExportManifestSchema.safeParse(readJsonFile(manifestFile, "manifest"));
      if (!parsed.success) throw new CliError(`${manifestFile} is not an audit export manifest`, 2);
      manifest = parsed.data;
    }
    if (manifest?.format === "csv") {
      const ok = sha256Hex(body) === manifest.file.sha256;
      process.stdout.write(
        `${ok ? "VERIFIED" : "FAILED"}: ${opts.file} ${ok ? "matches" : "does NOT match"} its manifest's sha256 (a CSV export cannot be chain-verified; export jsonl for that)\n`,
      );
      process.exitCode = ok ? 0 : 1;
      return;
    }
    printReport(verifyExport(body, path.basename(opts.file), manifest, { publicJwks: keys }), opts.json);
    return;
  }
  const { trail, fallbackKeys } = await openTrail(opts);
  let fromStore = false;
  if (!keys.length) ({ keys, fromStore } = await fallbackKeys());
  const report = verifyChains(trail, { publicJwks: keys, anchors: loadAnchors(opts.anchors) });
  if (fromStore && keys.length)
    report.warnings.push(
      "signatures were checked against keys published in the store; pass --public-key <jwk.json> for an independent check",
    );
  if (trail.chains.size === 0) report.warnings.push(`no audit chains found in container ${opts.container}`);
  printReport(report, opts.json);
}

async function exportCommand(
  parsed: ParsedStoreOptions & {
    from: string;
    to: string;
    user?: string;
    server?: string;
    format: string;
    out: string;
    chain: string;
    token?: string;
    signingKeyFile?: string;
  },
): Promise<void> {
  const one = singleStore(parsed, "audit export");
  const opts = { ...parsed, connectionString: one.connectionString, blobUrl: one.blobUrl };
  let period;
  try {
    // The evidence commands' parser: every command reads dates the same way.
    period = parsePeriod(opts.from, opts.to);
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const filters = { ...period, user: opts.user, server: opts.server };
  if (opts.format !== "jsonl" && opts.format !== "csv")
    throw new CliError(`--format must be jsonl or csv, got ${opts.format}`, 2);
  const { trail, client, account, fallbackKeys } = await openTrail(opts);
  const keys = loadKeys(opts.publicKey);
  const check = verifyChains(trail, { publicJwks: keys.length ? keys : (await fallbackKeys()).keys });
  const selected = selectExport(trail, filters);
  const body = Buffer.from(
    opts.format === "jsonl"
      ? selected.records.map((r) => r.line + "\n").join("")
      : toCsv(selected.records.map((r) => r.record)),
    "utf8",
  );
  const manifest = buildManifest({
    selected,
    filters,
    format: opts.format,
    fileName: path.basename(opts.out),
    body,
    source: { account, container: opts.container },
    sourceProblems: check.chains.flatMap((c) => (c.problem ? [c.problem] : [])),
  });
  const manifestText = JSON.stringify(manifest, null, 2) + "\n";
  // Every export is itself an audit record, written before the files (no record, no files).
  const signing = await cliSigner(opts, localStackFor(opts));
  await recordExport({
    blobService: client,
    container: opts.container,
    chainId: opts.chain,
    who: cliIdentity(opts.token ?? process.env.GATEHOUSE_TOKEN),
    signer: signing?.signer,
    policyVersion: null,
    summary: {
      report: { name: "audit-export", version: String(manifest.version) },
      period: { from: filters.from, to: filters.to },
      filters: { ...filters, format: opts.format },
      recordCount: manifest.file.records,
      rowCount: manifest.file.records,
      exceptionCount: 0,
      manifestSha256: sha256Hex(manifestText),
      files: [{ name: manifest.file.name, sha256: manifest.file.sha256, bytes: manifest.file.bytes }],
    },
  });
  fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
  fs.writeFileSync(opts.out, body);
  fs.writeFileSync(`${opts.out}.manifest.json`, manifestText);
  if (opts.json) process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
  else
    process.stdout.write(
      `wrote ${manifest.file.records} record(s) from ${manifest.chains.length} chain(s) to ${opts.out} and ${opts.out}.manifest.json (${manifest.complete ? "complete for the period" : "filtered"})\n`,
    );
  if (!check.ok)
    process.stderr.write(
      "warning: the store did not verify; see sourceVerification in the manifest and run `gatehouse audit verify`\n",
    );
}

export function register(program: Command): void {
  const audit = program.command("audit").description("verify and export the tamper-evident audit trail");
  const storeOptions = (c: Command) =>
    c
      .option(
        "--connection-string <cs>",
        "storage connection string (default: $GATEHOUSE_STORAGE_CONNECTION_STRING, then the local stack's local-stack.json in $GATEHOUSE_HOME or .gatehouse/); repeat it, or mix with --blob-url, for every region's store (verify)",
        collect,
      )
      .option(
        "--blob-url <url>",
        "blob endpoint, signing in with your Azure identity (az login; needs Storage Blob Data Reader); default $GATEHOUSE_STORAGE_BLOB_URL; repeatable (verify)",
        collect,
      )
      .option("--container <name>", "audit container", AUDIT_CONTAINER)
      .option(
        "--public-key <jwk.json...>",
        "public JWK (or JWKS) of the gateway key, to check checkpoint signatures offline (default: the local stack's key, else the copy in the store)",
      )
      .option("--json", "print the result as JSON");
  storeOptions(
    audit
      .command("verify")
      .description(
        "check every chain (or an export file): hashes, links, sequence, signed checkpoints; exit 0 only when everything verifies",
      )
      .option(
        "--file <export.jsonl>",
        "verify an export file (with <file>.manifest.json beside it) instead of the store",
      )
      .option(
        "--anchors <file>",
        "chain anchors exported from Log Analytics (gatehouse.anchor rows, JSON or JSONL) to check truncation against",
      ),
  ).action((o) => verifyCommand(o));
  storeOptions(
    audit
      .command("export")
      .description("write the records of a period (exactly as stored) and <file>.manifest.json")
      .requiredOption("--from <date>", `start of the period (inclusive): ${INSTANT_FORMS}`)
      .requiredOption("--to <date>", "end of the period (exclusive), same forms")
      .option("--user <u>", "only this user (username, its part before '@', or object id): a filtered export")
      .option("--server <s>", "only this MCP server: a filtered export")
      .requiredOption("--format <jsonl|csv>", "jsonl (one stored record per line, re-verifiable) or csv")
      .requiredOption("--out <file>", "output file; the manifest goes to <file>.manifest.json")
      .option(
        "--chain <id>",
        "the audit chain this CLI appends its evidence.exported record to",
        `cli-${os.hostname().replace(/[^A-Za-z0-9._-]/g, "-")}`,
      )
      .option(
        "--token <jwt>",
        "your Entra token: names you in the evidence.exported record (claims not verified by the CLI; default GATEHOUSE_TOKEN, else your OS user)",
      )
      .option(
        "--signing-key-file <jwk.json>",
        "the gateway's checkpoint key, to checkpoint the CLI's chain (default: GATEHOUSE_SIGNING_KEY_FILE, Key Vault, or the local stack's key)",
      ),
  ).action((o) => exportCommand(o));
}
