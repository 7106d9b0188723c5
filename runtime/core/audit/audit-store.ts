/**
 * Finding the audit store for the CLI: a connection string (flag or
 * GATEHOUSE_STORAGE_CONNECTION_STRING), a blob endpoint URL with Entra sign-in (flag or
 * GATEHOUSE_STORAGE_BLOB_URL; the Azure account has shared keys disabled, so auditors use their
 * own identity with "Storage Blob Data Reader"), or the local stack's `local-stack.json` (written
 * by `npm run dev` into $GATEHOUSE_HOME or `<repo>/.gatehouse`). Also tells "the store is unreachable" apart from other failures.
 */
import fs from "node:fs";
import path from "node:path";
import { BlobServiceClient, RestError } from "@azure/storage-blob";
import type { JWK } from "jose";
import { azureCredential } from "../azure-credential";

export const STORAGE_ENV = "GATEHOUSE_STORAGE_CONNECTION_STRING";
export const BLOB_URL_ENV = "GATEHOUSE_STORAGE_BLOB_URL";
export const LOCAL_STACK_FILE = path.join(".gatehouse", "local-stack.json");

export type StoreLocation =
  | { readonly kind: "connection-string"; readonly value: string; readonly source: "flag" | "env" | "local-stack" }
  | { readonly kind: "blob-url"; readonly value: string; readonly source: "flag" | "env" };

export class StoreNotConfiguredError extends Error {
  constructor() {
    super(
      `no audit store configured: pass --connection-string <cs> or --blob-url <https://account.blob.core.windows.net> ` +
        `(signs in with your Azure identity), set ${STORAGE_ENV} or ${BLOB_URL_ENV}, ` +
        `or start the local stack (npm run dev), which writes ${LOCAL_STACK_FILE}`,
    );
  }
}

export function resolveStore(
  flags: { connectionString?: string; blobUrl?: string },
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): StoreLocation {
  if (flags.connectionString) return { kind: "connection-string", value: flags.connectionString, source: "flag" };
  if (flags.blobUrl) return { kind: "blob-url", value: flags.blobUrl, source: "flag" };
  if (env[STORAGE_ENV]) return { kind: "connection-string", value: env[STORAGE_ENV]!, source: "env" };
  if (env[BLOB_URL_ENV]) return { kind: "blob-url", value: env[BLOB_URL_ENV]!, source: "env" };
  const stack = findLocalStack(env, cwd);
  if (stack) return { kind: "connection-string", value: stack.storageConnectionString, source: "local-stack" };
  throw new StoreNotConfiguredError();
}

export interface LocalStackInfo {
  readonly file: string;
  readonly storageConnectionString: string;
  /** The local gateway's public signing key, when the stack recorded it. */
  readonly signingPublicJwk: JWK | null;
}

/**
 * The running local stack's record: `$GATEHOUSE_HOME/local-stack.json` when GATEHOUSE_HOME is set,
 * else the nearest `.gatehouse/local-stack.json` from the working directory up (like git).
 */
export function findLocalStack(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): LocalStackInfo | null {
  const candidates: string[] = [];
  if (env.GATEHOUSE_HOME?.trim()) candidates.push(path.join(path.resolve(cwd, env.GATEHOUSE_HOME), "local-stack.json"));
  else
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      candidates.push(path.join(dir, LOCAL_STACK_FILE));
      if (path.dirname(dir) === dir) break;
    }
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    const v = JSON.parse(fs.readFileSync(file, "utf8")) as {
      storageConnectionString?: unknown;
      signingPublicJwk?: unknown;
    };
    if (typeof v.storageConnectionString !== "string" || !v.storageConnectionString) continue;
    const jwk = v.signingPublicJwk && typeof v.signingPublicJwk === "object" ? (v.signingPublicJwk as JWK) : null;
    return { file, storageConnectionString: v.storageConnectionString, signingPublicJwk: jwk };
  }
  return null;
}

/** A client that gives up quickly: an auditor's command should say "unreachable", not hang. */
export async function storeClient(location: StoreLocation): Promise<BlobServiceClient> {
  const options = { retryOptions: { maxTries: 2, tryTimeoutInMs: 30_000, retryDelayInMs: 500 } };
  if (location.kind === "connection-string") return BlobServiceClient.fromConnectionString(location.value, options);
  new URL(location.value); // throws on a malformed URL before any sign-in is attempted
  return new BlobServiceClient(location.value, azureCredential(), options);
}

/** True for network-level failures, refusals and failed sign-ins. */
export function isStoreUnreachable(e: unknown): boolean {
  if (e instanceof RestError)
    return e.statusCode === undefined || e.statusCode === 401 || e.statusCode === 403 || e.statusCode >= 500;
  const name = (e as { name?: unknown })?.name;
  if (
    name === "CredentialUnavailableError" ||
    name === "AuthenticationError" ||
    name === "AggregateAuthenticationError"
  )
    return true;
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/.test(code);
}
