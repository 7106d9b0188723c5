/**
 * Upstream credentials, by Key Vault secret name. In Azure: KeyVaultCredentialProvider with the
 * agent's managed identity. In the local stack only: the named dev provider reading environment
 * variables (documented in docs/gateway.md; refused unless chosen explicitly).
 */
import type { TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { GatehouseError } from "../core/errors";
import { azureCredential } from "../core/azure-credential";

export interface CredentialProvider {
  readonly name: string;
  get(secretName: string): Promise<string>;
}

/** Wraps a provider with a short cache: one Key Vault read per secret per `ttlMs`. */
export class CachedCredentialProvider implements CredentialProvider {
  private readonly cache = new Map<string, { value: Promise<string>; until: number }>();
  readonly name: string;
  constructor(
    private readonly inner: CredentialProvider,
    private readonly ttlMs: number,
  ) {
    this.name = inner.name;
  }
  get(secretName: string): Promise<string> {
    const hit = this.cache.get(secretName);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = this.inner.get(secretName);
    this.cache.set(secretName, { value, until: Date.now() + this.ttlMs });
    value.catch(() => this.cache.delete(secretName));
    return value;
  }
}

export class KeyVaultCredentialProvider implements CredentialProvider {
  readonly name = "keyvault";
  private readonly client: SecretClient;
  constructor(vaultUrl: string, credential?: TokenCredential) {
    // AZURE_CLIENT_ID names the user-assigned identity of the agent's Container App.
    const cred = credential ?? azureCredential();
    this.client = new SecretClient(vaultUrl, cred);
  }
  async get(secretName: string): Promise<string> {
    try {
      const s = await this.client.getSecret(secretName);
      if (s.value === undefined) throw new Error("empty secret");
      return s.value;
    } catch (e) {
      throw new GatehouseError(
        "ERR_UPSTREAM_UNAVAILABLE",
        `the credential ${secretName} could not be read from Key Vault`,
        { secretName },
        { cause: e },
      );
    }
  }
}

/**
 * DEV ONLY: secret `foo-bar` is read from GATEHOUSE_DEV_SECRET_FOO_BAR. Never used in Azure (the
 * infrastructure sets GATEHOUSE_CREDENTIAL_PROVIDER=keyvault).
 */
export class DevEnvCredentialProvider implements CredentialProvider {
  readonly name = "dev-env";
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}
  static variableFor(secretName: string): string {
    return `GATEHOUSE_DEV_SECRET_${secretName.toUpperCase().replace(/-/g, "_")}`;
  }
  async get(secretName: string): Promise<string> {
    const v = this.env[DevEnvCredentialProvider.variableFor(secretName)];
    if (v === undefined)
      throw new GatehouseError(
        "ERR_UPSTREAM_UNAVAILABLE",
        `the dev credential ${DevEnvCredentialProvider.variableFor(secretName)} is not set`,
        { secretName },
      );
    return v;
  }
}
