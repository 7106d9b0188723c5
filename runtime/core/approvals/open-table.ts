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
          // Azurite speaks plain http on loopback; Azure endpoints are https and ignore this.
          allowInsecureConnection: /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(
            tableEndpointOf(location.connectionString),
          ),
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

function tableEndpointOf(cs: string): string {
  return /TableEndpoint=([^;]+)/i.exec(cs)?.[1] ?? "";
}

/** True for the 412 the service returns when an If-Match ETag no longer matches. */
export function isEtagConflict(e: unknown): boolean {
  return e instanceof RestError && e.statusCode === 412;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof RestError && e.statusCode === 404;
}
