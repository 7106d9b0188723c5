/**
 * The policy bundle as a Key Vault secret (Azure: docs/decisions/0004-first-deploy-without-data-plane.md).
 * The deploy writes it through ARM (no data-plane write from the runner); every policy change is a
 * new secret version. Key Vault has no conditional GET, so a poll reads the latest version and
 * compares its version id with the one in force: the version id plays the blob ETag's part, and an
 * unchanged bundle is reported unchanged (no re-parse, no reload). One read per poll per replica
 * (30 s by default): far below Key Vault's limits, and never one per request.
 */
import type { PolicySource, SourceRead } from "../policy/live-policy";

/** The part of @azure/keyvault-secrets' SecretClient this source uses (tests inject their own). */
export interface SecretReadClient {
  getSecret(name: string): Promise<{ value?: string; properties: { version?: string } }>;
}

/** `https://<vault>/secrets/<name>` (versionless: the latest version) → vault URL and name. */
export function parseSecretUrl(secretUrl: string): { vaultUrl: string; name: string } | null {
  let url: URL;
  try {
    url = new URL(secretUrl);
  } catch {
    return null;
  }
  const parts = url.pathname.split("/").filter(Boolean);
  if (
    url.protocol !== "https:" ||
    parts.length !== 2 ||
    parts[0] !== "secrets" ||
    !/^[0-9a-zA-Z-]{1,127}$/.test(parts[1])
  )
    return null;
  return { vaultUrl: url.origin, name: parts[1] };
}

export function keyVaultSecretPolicySource(client: SecretReadClient, vaultUrl: string, name: string): PolicySource {
  return {
    description: `${vaultUrl}/secrets/${name}`,
    async read(tag): Promise<SourceRead> {
      const secret = await client.getSecret(name);
      const version = secret.properties.version;
      if (!version) throw new Error("Key Vault returned the secret without a version");
      if (tag !== null && version === tag) return { unchanged: true };
      if (typeof secret.value !== "string") throw new Error("Key Vault returned the secret without a value");
      return { unchanged: false, text: secret.value, tag: version };
    },
  };
}
