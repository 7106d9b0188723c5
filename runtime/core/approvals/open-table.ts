/**
 * Opens (and creates when missing) an Azure Table: from a connection string locally (Azurite),
 * or from the account's table endpoint and a token credential (managed identity) in Azure.
 * The same code runs on Azure Cosmos DB for Table.
 */
import { TableClient, RestError } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import { STORE_RETRY_OPTIONS, storeCall, withDeadline, type StoreTimeoutOptions } from "./store-deadline";

export type TableLocation =
  { readonly connectionString: string } | { readonly endpoint: string; readonly credential: TokenCredential };

/** Every call of the returned client is bounded by `timeoutMs` (store-deadline.ts). */
export async function openTable(
  location: TableLocation,
  tableName: string,
  opts: StoreTimeoutOptions = {},
): Promise<TableClient> {
  const client = withDeadline(
    "connectionString" in location
      ? TableClient.fromConnectionString(location.connectionString, tableName, {
          allowInsecureConnection: isStorageEmulator(location.connectionString),
          retryOptions: STORE_RETRY_OPTIONS,
        })
      : new TableClient(location.endpoint, tableName, location.credential, { retryOptions: STORE_RETRY_OPTIONS }),
    opts,
  );
  try {
    await storeCall(tableName, () => client.createTable());
  } catch (e) {
    if (!(e instanceof RestError && e.statusCode === 409)) throw e;
  }
  return client;
}

/**
 * Plain http is allowed for the storage emulator only: Azurite on loopback (npm run dev), or
 * Azurite's well-known development account wherever it runs (compose.yaml: http://azurite:10002).
 * Any other account keeps the SDK's https-only rule; Azure endpoints are https anyway.
 */
export function isStorageEmulator(connectionString: string): boolean {
  const field = (name: string) =>
    new RegExp(`(?:^|;)\\s*${name}=([^;]*)`, "i").exec(connectionString)?.[1]?.trim() ?? "";
  return (
    /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(field("TableEndpoint")) ||
    field("AccountName") === AZURITE_DEV_ACCOUNT
  );
}

/** Azurite's published development account (never a real account: its key is public). */
const AZURITE_DEV_ACCOUNT = "devstoreaccount1";

/** True for the 412 the service returns when an If-Match ETag no longer matches. */
export function isEtagConflict(e: unknown): boolean {
  return e instanceof RestError && e.statusCode === 412;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof RestError && e.statusCode === 404;
}
