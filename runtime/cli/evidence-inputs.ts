/**
 * What `gatehouse evidence` reads before a report runs, resolved as `gatehouse audit` resolves it:
 * the audit store (flags, environment, local stack), the policy bundles, and the public keys
 * that check checkpoint and manifest signatures. Failures become CliErrors that say what to do.
 */
import fs from "node:fs";
import type { BlobServiceClient } from "@azure/storage-blob";
import type { JWK } from "jose";
import type { PolicyBundle } from "../core/policy-model/schema";
import { readLocalStack } from "../core/local-stack-file";
import { readPublishedKeys } from "../core/audit/checkpoint-store";
import { StoreNotConfiguredError, isStoreUnreachable, resolveStore, storeClient } from "../core/audit/audit-store";
import { isGatehouseError } from "../core/errors";
import { loadBundleFile } from "../core/policy/load-bundle";
import { repoRoot } from "../core/repo-root";
import { CliError } from "./cli-error";
import { DEFAULT_POLICIES_MODULE } from "./policy/load-policies-module";
import { buildFromTree, workingTreeCommit } from "./policy/policy-sources";
import { localStackFor } from "./local-stack-context";

export interface EvidenceSourceOptions {
  connectionString?: string;
  blobUrl?: string;
  container: string;
  policy: string[];
  publicKey?: string;
}

/**
 * The bundles records are checked against: --policy, else the bundle the local stack's gateway
 * runs (when the store is that stack's) followed by the declared policies.
 */
export async function loadBundles(opts: EvidenceSourceOptions): Promise<PolicyBundle[]> {
  try {
    if (opts.policy.length > 0) return opts.policy.map((p) => loadBundleFile(p));
    const local = localStackFor(opts)?.policyBundleFile;
    const declared = declaredBundle();
    if (!local) return [declared];
    const running = loadBundleFile(local);
    return running.version === declared.version ? [running] : [running, declared];
  } catch (e) {
    if (isGatehouseError(e))
      throw new CliError(`${e.message}\nfix the bundle or pass another with --policy <bundle.json>`, 2);
    throw e;
  }
}

/**
 * The declared policies, built as `gatehouse policy build` builds them (from the sources, only when
 * no bundle is given): the runtime never imports the construct library (module boundary).
 */
function declaredBundle(): PolicyBundle {
  const root = repoRoot();
  try {
    return buildFromTree(root, DEFAULT_POLICIES_MODULE, workingTreeCommit(root), "the declared policies");
  } catch (e) {
    if (e instanceof CliError)
      throw new CliError(`${e.message}\nfix the bundle or pass another with --policy <bundle.json>`, 2);
    throw e;
  }
}

export function readJwks(file: string): JWK[] {
  try {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as JWK | { keys: JWK[] };
    return "keys" in json && Array.isArray(json.keys) ? json.keys : [json as JWK];
  } catch (e) {
    throw new CliError(`cannot read the public key ${file}: ${(e as Error).message}; pass a JWK or a JWK set`, 2);
  }
}

/** Trust anchors for checkpoint signatures: given, else the local stack's, else the ones published beside the trail. */
export async function publicKeys(
  opts: EvidenceSourceOptions,
  blobService?: BlobServiceClient,
): Promise<{ keys: JWK[]; from: string }> {
  if (opts.publicKey) return { keys: readJwks(opts.publicKey), from: opts.publicKey };
  const stack = readLocalStack();
  if (stack) return { keys: [stack.signingPublicJwk as unknown as JWK], from: "local stack" };
  // No container yet (nothing audited) means no published keys either.
  if (blobService)
    return {
      keys: await readPublishedKeys(blobService.getContainerClient(opts.container)).catch(() => []),
      from: "published in the audit container",
    };
  return { keys: [], from: "none" };
}

/** The audit store, resolved as `gatehouse audit` does (flags, environment, local stack). */
export async function blobClient(opts: EvidenceSourceOptions): Promise<BlobServiceClient> {
  let location;
  try {
    location = resolveStore({ connectionString: opts.connectionString, blobUrl: opts.blobUrl });
  } catch (e) {
    throw new CliError(
      e instanceof StoreNotConfiguredError
        ? e.message
        : `cannot read the local stack's store settings: ${(e as Error).message}`,
      2,
    );
  }
  try {
    return await storeClient(location);
  } catch (e) {
    throw new CliError(
      `the ${location.kind} is not valid (${(e as Error).message}); check --connection-string / --blob-url or their environment variables`,
      2,
    );
  }
}

export function storeError(e: unknown, url: string): unknown {
  if (!isStoreUnreachable(e) && !(isGatehouseError(e) && e.code === "ERR_AUDIT_UNAVAILABLE")) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new CliError(
    `the audit store at ${url.split("?")[0]} is unreachable (${msg.split("\n")[0]}); is it running, and are the credentials right (az login for --blob-url)?`,
    3,
  );
}
