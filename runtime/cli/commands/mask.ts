/**
 * `gatehouse mask [--policy <bundle.json>] [--format text|json|jsonrpc] [--server <s>] [--tool <t>]
 * [--copy client|audit] [--counts]` — masks stdin to stdout with the gateway's masking engine.
 * Without --policy every built-in detector is on (redact). Malformed json/jsonrpc input exits 2.
 */
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { isGatehouseError } from "../../core/errors";
import { loadBundleFile } from "../../core/policy/load-bundle";
import { createMasker, type GatehouseMasker, type MaskContext } from "../../core/masking";
import type { PolicyBundle } from "../../core/policy-model/schema";

interface MaskOptions {
  policy?: string;
  format: string;
  server?: string;
  tool?: string;
  copy: string;
  counts?: boolean;
}

const FORMATS = ["text", "json", "jsonrpc"];
const COPIES = ["client", "audit"];

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(
      `${what} is not valid JSON (${(e as Error).message}); use --format text to mask it as plain text`,
      2,
    );
  }
}

function isJsonRpc(v: unknown): boolean {
  const one = (m: unknown) =>
    typeof m === "object" && m !== null && !Array.isArray(m) && (m as { jsonrpc?: unknown }).jsonrpc === "2.0";
  return Array.isArray(v) ? v.length > 0 && v.every(one) : one(v);
}

/** One JSON-RPC message (or batch), or JSON Lines of them as on a stdio transport. */
function parseJsonRpc(input: string): { messages: unknown[]; lines: boolean } {
  let whole: unknown;
  let ok = true;
  try {
    whole = JSON.parse(input);
  } catch {
    ok = false;
  }
  if (ok) {
    if (!isJsonRpc(whole))
      throw new CliError(
        'stdin is JSON but not a JSON-RPC 2.0 message (an object with "jsonrpc": "2.0", or a batch of them)',
        2,
      );
    return { messages: [whole], lines: false };
  }
  const lines = input.split("\n").filter((l) => l.trim() !== "");
  if (lines.length < 2) parseJson(input, "stdin");
  const messages = lines.map((l, k) => {
    const m = parseJson(l, `line ${k + 1} of stdin`);
    if (!isJsonRpc(m)) throw new CliError(`line ${k + 1} of stdin is not a JSON-RPC 2.0 message`, 2);
    return m;
  });
  return { messages, lines: true };
}

function hashKeyFor(bundle: PolicyBundle | null): Buffer | undefined {
  const fromEnv = process.env.GATEHOUSE_MASKING_HASH_KEY;
  if (fromEnv) return Buffer.from(fromEnv, "utf8");
  if (bundle?.masking.some((r) => r.style === "hash")) {
    process.stderr.write(
      "gatehouse: GATEHOUSE_MASKING_HASH_KEY is not set; hashing with a random key, so hashes will not match other runs\n",
    );
    return randomBytes(32);
  }
  return undefined;
}

function mergeCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

export async function runMask(opts: MaskOptions, input?: string): Promise<string> {
  if (!FORMATS.includes(opts.format))
    throw new CliError(`--format must be one of ${FORMATS.join(", ")} (got "${opts.format}")`, 2);
  if (!COPIES.includes(opts.copy)) throw new CliError(`--copy must be client or audit (got "${opts.copy}")`, 2);
  let bundle: PolicyBundle | null = null;
  let masker: GatehouseMasker;
  try {
    if (opts.policy) bundle = loadBundleFile(opts.policy);
    masker = createMasker({ bundle, hashKey: hashKeyFor(bundle) });
  } catch (e) {
    if (isGatehouseError(e)) throw new CliError(`${e.message}; build a bundle with gatehouse policy build`, 2);
    throw e;
  }
  const ctx: MaskContext = {
    server: opts.server ?? "*",
    tool: opts.tool ?? null,
    copy: opts.copy as MaskContext["copy"],
  };
  const text = input ?? (await readStdin());
  const counts: Record<string, number> = {};
  let out: string;
  try {
    if (opts.format === "text") {
      const r = masker.maskText(text, ctx);
      mergeCounts(counts, r.counts);
      out = r.value;
    } else if (opts.format === "json") {
      const r = masker.maskValue(parseJson(text, "stdin"), ctx);
      mergeCounts(counts, r.counts);
      out = JSON.stringify(r.value, null, text.includes("\n  ") ? 2 : undefined) + "\n";
    } else {
      const { messages, lines } = parseJsonRpc(text);
      const masked = messages.map((m) => {
        const r = masker.maskMessage(m, ctx);
        mergeCounts(counts, r.counts);
        return JSON.stringify(r.value);
      });
      out = lines ? masked.join("\n") + "\n" : masked[0] + "\n";
    }
  } catch (e) {
    if (isGatehouseError(e) && e.code === "ERR_RESULT_WITHHELD") {
      throw new CliError(`${e.message}; raise maskingSettings.maxScanBytes in the policy or split the input`, 2);
    }
    throw e;
  }
  if (opts.counts) process.stderr.write(JSON.stringify(counts) + "\n");
  return out;
}

export function register(program: Command): void {
  program
    .command("mask")
    .description(
      "mask sensitive data read from stdin and write the result to stdout (every built-in detector when no policy is given)",
    )
    .option(
      "--policy <bundle.json>",
      "a policy bundle (from gatehouse policy build); its masking rules and settings apply",
    )
    .option(
      "--format <format>",
      "text, json (any JSON document) or jsonrpc (a JSON-RPC message, a batch, or one message per line)",
      "text",
    )
    .option("--server <server>", "apply the rules of this server (default: every rule of the bundle)")
    .option("--tool <tool>", "apply the rules of this tool (default: every tool)")
    .option(
      "--copy <copy>",
      "client (what the MCP client receives) or audit (the audit copy, at least as strict)",
      "client",
    )
    .option("--counts", "print the number of masked values per entity type to stderr, as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  echo 'card 4111 1111 1111 1111' | npx gatehouse mask\n  npx gatehouse mask --policy dist/policy-bundle.json --format jsonrpc --server customers --tool get_customer < result.json\n\nThe hash style uses the key in GATEHOUSE_MASKING_HASH_KEY.\n",
    )
    .action(async (opts: MaskOptions) => {
      process.stdout.write(await runMask(opts));
    });
}
