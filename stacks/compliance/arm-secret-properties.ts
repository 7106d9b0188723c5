/**
 * The `properties` of a Key Vault secret created through ARM (azapi_resource of type
 * Microsoft.KeyVault/vaults/secrets), so the secret rules apply whichever plane creates it.
 */
import { read } from "./config-reader";
import type { SynthResource } from "./rule";

export function armSecretProperties(r: SynthResource): Record<string, unknown> | undefined {
  if (!String(r.config.type ?? "").startsWith("Microsoft.KeyVault/vaults/secrets@")) return undefined;
  const properties = read(r.config, "body.properties");
  return properties && typeof properties === "object" ? (properties as Record<string, unknown>) : {};
}
