/**
 * The `properties` of a Key Vault secret created through ARM (azapi_resource of type
 * Microsoft.KeyVault/vaults/secrets), so the secret rules apply whichever plane creates it.
 */
import { armProperties } from "./arm-properties";
import type { SynthResource } from "./rule";

export function armSecretProperties(r: SynthResource): Record<string, unknown> | undefined {
  return armProperties(r, "Microsoft.KeyVault/vaults/secrets");
}
