/**
 * The one way Gatehouse gets an Azure credential (Key Vault, storage, policy blob, upstream
 * secrets): the app's user-assigned managed identity when AZURE_CLIENT_ID names it (Container
 * Apps), else DefaultAzureCredential (a workstation's `az login`, CI's environment). Required
 * lazily: a local stack, which needs no Azure credential, never loads @azure/identity.
 */
import type { TokenCredential } from "@azure/identity";

export function azureCredential(clientId: string | undefined = process.env.AZURE_CLIENT_ID): TokenCredential {
  const { DefaultAzureCredential, ManagedIdentityCredential } =
    require("@azure/identity") as typeof import("@azure/identity");
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}
