/**
 * The policy bundle of a process: a file (local stack, tests) or a blob (Azure, read with the
 * managed identity), held by a LivePolicy that polls it every GATEHOUSE_POLICY_POLL_SECONDS
 * (0: never) and swaps in a new bundle only when it is valid. Either way checkBundle refuses a
 * bundle modified after it was built.
 */
import { BlobClient } from "@azure/storage-blob";
import { GatehouseError } from "../errors";
import { LivePolicy } from "../policy/live-policy";
import { blobPolicySource, filePolicySource } from "../policy/policy-sources";
import { azureCredential } from "../azure-credential";

export interface PolicyEnv {
  GATEHOUSE_POLICY_FILE?: string;
  GATEHOUSE_POLICY_BLOB_URL?: string;
  GATEHOUSE_POLICY_POLL_SECONDS?: number;
}

export async function openPolicy(env: PolicyEnv, service: "gateway" | "agent"): Promise<LivePolicy> {
  const pollSeconds = env.GATEHOUSE_POLICY_POLL_SECONDS ?? 30;
  if (env.GATEHOUSE_POLICY_FILE) return LivePolicy.open({ source: filePolicySource(env.GATEHOUSE_POLICY_FILE), pollSeconds, service });
  if (!env.GATEHOUSE_POLICY_BLOB_URL) throw new GatehouseError("ERR_CONFIG_INVALID", "set GATEHOUSE_POLICY_FILE or GATEHOUSE_POLICY_BLOB_URL");
  return LivePolicy.open({ source: blobPolicySource(new BlobClient(env.GATEHOUSE_POLICY_BLOB_URL, azureCredential())), pollSeconds, service });
}
