/**
 * The policy bundle of a process: a file (local stack, tests) or a blob (Azure, read with the
 * managed identity). Either way checkBundle refuses a bundle modified after it was built.
 */
import type { PolicyBundle } from "../../../policies/schema";
import { loadBundleFile, parseBundle } from "../policy/load-bundle";
import { GatehouseError } from "../errors";

export async function loadPolicy(env: { GATEHOUSE_POLICY_FILE?: string; GATEHOUSE_POLICY_BLOB_URL?: string }): Promise<PolicyBundle> {
  if (env.GATEHOUSE_POLICY_FILE) return loadBundleFile(env.GATEHOUSE_POLICY_FILE);
  if (!env.GATEHOUSE_POLICY_BLOB_URL) throw new GatehouseError("ERR_CONFIG_INVALID", "set GATEHOUSE_POLICY_FILE or GATEHOUSE_POLICY_BLOB_URL");
  const { BlobClient } = await import("@azure/storage-blob");
  const { DefaultAzureCredential, ManagedIdentityCredential } = await import("@azure/identity");
  const credential = process.env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: process.env.AZURE_CLIENT_ID }) : new DefaultAzureCredential();
  let text: string;
  try {
    text = (await new BlobClient(env.GATEHOUSE_POLICY_BLOB_URL, credential).downloadToBuffer()).toString("utf8");
  } catch (e) {
    throw new GatehouseError("ERR_POLICY_INVALID", `the policy bundle could not be read from GATEHOUSE_POLICY_BLOB_URL: ${(e as Error).message}`, {}, { cause: e });
  }
  try {
    return parseBundle(JSON.parse(text), env.GATEHOUSE_POLICY_BLOB_URL);
  } catch (e) {
    if (e instanceof GatehouseError) throw e;
    throw new GatehouseError("ERR_POLICY_INVALID", `the policy bundle at GATEHOUSE_POLICY_BLOB_URL is not JSON`);
  }
}
