/**
 * Finding the audit store for the CLI: a flag, GATEHOUSE_STORAGE_CONNECTION_STRING, or the local
 * stack's `.gatehouse/local-stack.json` (written by `npm run dev`). Also tells "the store is
 * unreachable" apart from other failures, for exit code 3.
 */
import fs from "node:fs";
import path from "node:path";
import { BlobServiceClient, RestError } from "@azure/storage-blob";

export const STORAGE_ENV = "GATEHOUSE_STORAGE_CONNECTION_STRING";
export const LOCAL_STACK_FILE = path.join(".gatehouse", "local-stack.json");

export type StoreSource = "flag" | "env" | "local-stack";

export class StoreNotConfiguredError extends Error {
  constructor() {
    super(
      `no audit store configured: pass --connection-string <cs>, set ${STORAGE_ENV}, ` +
        `or start the local stack (npm run dev), which writes ${LOCAL_STACK_FILE}`,
    );
  }
}

export function resolveConnectionString(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): { connectionString: string; source: StoreSource } {
  if (flag) return { connectionString: flag, source: "flag" };
  if (env[STORAGE_ENV]) return { connectionString: env[STORAGE_ENV]!, source: "env" };
  // Like git: the nearest .gatehouse/ from the working directory up (the repo root when run via npx).
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, LOCAL_STACK_FILE);
    if (fs.existsSync(file)) {
      const cs = (JSON.parse(fs.readFileSync(file, "utf8")) as { storageConnectionString?: unknown }).storageConnectionString;
      if (typeof cs === "string" && cs) return { connectionString: cs, source: "local-stack" };
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new StoreNotConfiguredError();
}

/** A client that gives up quickly: an auditor's command should say "unreachable", not hang. */
export function storeClient(connectionString: string): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 2, tryTimeoutInMs: 30_000, retryDelayInMs: 500 } });
}

/** True for network-level failures and refusals (no route, refused, timed out, auth refused). */
export function isStoreUnreachable(e: unknown): boolean {
  if (e instanceof RestError) return e.statusCode === undefined || e.statusCode === 401 || e.statusCode === 403 || e.statusCode >= 500;
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)$/.test(code);
}
