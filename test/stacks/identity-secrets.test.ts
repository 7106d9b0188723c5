import { Testing } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { defaultStack, resourcesOf } from "./support/default-stack";

type Res = Record<string, unknown>;

describe("identity and secrets", () => {
  let synthesized: string;
  let roles: Res[];
  beforeAll(() => {
    synthesized = Testing.synth(defaultStack());
    roles = Object.values(resourcesOf(synthesized, "azurerm_role_assignment"));
  });
  const scopedTo = (type: string, idPart: string, attribute: string) => (r: Res) => String(r.scope).includes(`${type}.`) && String(r.scope).includes(idPart) && String(r.scope).endsWith(`.${attribute}}`);
  const principal = (who: "gateway" | "agent") => (r: Res) => String(r.principal_id).includes(`identity-secrets_${who}-identity`);

  test("Key Vault: RBAC, purge protection, 90-day soft delete, private only", () => {
    expect(synthesized).toHaveResourceWithProperties(KeyVault, {
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: false,
      network_acls: expect.objectContaining({ default_action: "Deny" }),
    });
    expect(synthesized).toHaveResourceWithProperties(PrivateEndpoint, {
      private_service_connection: expect.objectContaining({ subresource_names: ["vault"] }),
    });
  });

  test("the signing key expires and only the gateway may sign with it", () => {
    expect(synthesized).toHaveResourceWithProperties(KeyVaultKey, { key_type: "EC", key_opts: ["sign", "verify"], expiration_date: expect.stringContaining("timeadd") });
    const onKey = roles.filter(scopedTo("azurerm_key_vault_key", "signing-key", "resource_versionless_id"));
    const signers = onKey.filter((r) => r.role_definition_name === "Key Vault Crypto User");
    expect(signers).toHaveLength(1);
    expect(principal("gateway")(signers[0])).toBe(true);
    // The agent gets only the public JWK (an app setting), no access to the key at all.
    expect(onKey.filter(principal("agent"))).toEqual([]);
  });

  test("upstream credentials: expiry and content type, readable only by the agent, scoped per secret", () => {
    expect(synthesized).toHaveResourceWithProperties(KeyVaultSecret, {
      name: "customers-api-key",
      content_type: expect.any(String),
      expiration_date: expect.stringContaining("timeadd"),
    });
    const readers = roles.filter(scopedTo("azurerm_key_vault_secret", "customers-api-key", "resource_versionless_id"));
    expect(readers).toEqual([expect.objectContaining({ role_definition_name: "Key Vault Secrets User" })]);
    expect(principal("agent")(readers[0])).toBe(true);
  });

  test("generated keys are random once and never reset; placeholders are left for the operator", () => {
    const secrets = resourcesOf(synthesized, "azurerm_key_vault_secret");
    const byName = (name: string) => Object.values(secrets).find((s) => s.name === name)!;
    expect(byName("gateway-session-key")).toMatchObject({ value: expect.stringContaining("base64sha256"), lifecycle: { ignore_changes: ["value", "expiration_date"] } });
    expect(byName("masking-hash-key").value).toContain("uuid()");
    expect(byName("customers-api-key")).toMatchObject({ value: expect.stringContaining("unset"), lifecycle: { ignore_changes: ["value", "expiration_date"] } });
  });

  test("the masking hash key is readable only by the gateway", () => {
    const readers = roles.filter(scopedTo("azurerm_key_vault_secret", "masking-hash-key", "resource_versionless_id"));
    expect(readers).toHaveLength(1);
    expect(principal("gateway")(readers[0])).toBe(true);
  });

  test("no role assignment is broad: no Owner, Contributor or User Access Administrator, none at subscription scope", () => {
    expect(roles.length).toBeGreaterThan(10);
    for (const r of roles) {
      expect(["Owner", "Contributor", "User Access Administrator"]).not.toContain(r.role_definition_name);
      expect(String(r.scope)).not.toMatch(/^\/subscriptions\/[^/]+$/);
    }
  });
});
