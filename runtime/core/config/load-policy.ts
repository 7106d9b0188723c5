/**
 * The policy bundle of a process: a file (local stack, tests), a Key Vault secret (Azure: written
 * through ARM by the deploy, read with the managed identity) or a blob, held by a LivePolicy that polls it every GATEHOUSE_POLICY_POLL_SECONDS
 * (0: never) and swaps in a new bundle only when it is valid. Either way checkBundle refuses a
 * bundle modified after it was built.
 */
import { BlobClient } from "@azure/storage-blob";
import { GatehouseError } from "../errors";
import { LivePolicy } from "../policy/live-policy";
import { blobPolicySource, filePolicySource } from "../policy/policy-sources";
import { keyVaultSecretPolicySource, parseSecretUrl } from "./key-vault-policy-source";
import { azureCredential } from "../azure-credential";

export interface PolicyEnv {
  GATEHOUSE_POLICY_FILE?: string;
  GATEHOUSE_POLICY_BLOB_URL?: string;
  GATEHOUSE_POLICY_SECRET_URL?: string;
  GATEHOUSE_POLICY_POLL_SECONDS?: number;
}

export async function openPolicy(env: PolicyEnv, service: "gateway" | "agent"): Promise<LivePolicy> {
  const pollSeconds = env.GATEHOUSE_POLICY_POLL_SECONDS ?? 30;
  if (env.GATEHOUSE_POLICY_FILE)
    return LivePolicy.open({ source: filePolicySource(env.GATEHOUSE_POLICY_FILE), pollSeconds, service });
  if (!env.GATEHOUSE_POLICY_BLOB_URL && !env.GATEHOUSE_POLICY_SECRET_URL)
    throw new GatehouseError(
      "ERR_CONFIG_INVALID",
      "set GATEHOUSE_POLICY_FILE, GATEHOUSE_POLICY_SECRET_URL or GATEHOUSE_POLICY_BLOB_URL",
    );
  const credential = azureCredential();
  if (env.GATEHOUSE_POLICY_SECRET_URL) {
    const secret = parseSecretUrl(env.GATEHOUSE_POLICY_SECRET_URL);
    if (!secret)
      throw new GatehouseError(
        "ERR_CONFIG_INVALID",
        "invalid configuration:\n  GATEHOUSE_POLICY_SECRET_URL: must be a versionless Key Vault secret URL (https://<vault>.vault.azure.net/secrets/<name>)",
        { problems: ["GATEHOUSE_POLICY_SECRET_URL"] },
      );
    const { SecretClient } = await import("@azure/keyvault-secrets");
    return LivePolicy.open({
      source: keyVaultSecretPolicySource(new SecretClient(secret.vaultUrl, credential), secret.vaultUrl, secret.name),
      pollSeconds,
      service,
    });
  }
  return LivePolicy.open({
    source: blobPolicySource(new BlobClient(env.GATEHOUSE_POLICY_BLOB_URL!, credential)),
    pollSeconds,
    service,
  });
}
