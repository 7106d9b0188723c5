import { Testing } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
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

  /** Secrets are created through ARM (azapi, Microsoft.KeyVault/vaults/secrets), by name. */
  const armSecret = (name: string) =>
    Object.entries(resourcesOf(synthesized, "azapi_resource")).find(([, s]) => String(s.type).startsWith("Microsoft.KeyVault/vaults/secrets@") && s.name === name)!;

  test("upstream credentials: created through ARM with expiry and content type, readable only by the agent, scoped per secret", () => {
    const [, secret] = armSecret("customers-api-key");
    expect(secret).toMatchObject({
      parent_id: expect.stringContaining("azurerm_key_vault.identity-secrets_key-vault"),
      body: { properties: { contentType: expect.any(String), attributes: { enabled: true, exp: expect.stringContaining("time_offset.") } } },
    });
    const readers = roles.filter(scopedTo("azapi_resource", "customers-api-key", "id"));
    expect(readers).toEqual([expect.objectContaining({ role_definition_name: "Key Vault Secrets User" })]);
    expect(principal("agent")(readers[0])).toBe(true);
  });

  test("generated keys are random once and never reset; placeholders are left for the operator", () => {
    const byName = (name: string) => armSecret(name)[1];
    // Sent once at creation (no sensitive_body_version), never in the plan's visible body.
    expect(byName("gateway-session-key")).toMatchObject({ sensitive_body: { properties: { value: expect.stringContaining("base64sha256") } }, lifecycle: { ignore_changes: ["body"] } });
    expect(byName("gateway-session-key").sensitive_body_version).toBeUndefined();
    expect(JSON.stringify(byName("gateway-session-key").body)).not.toContain("value");
    expect((byName("masking-hash-key").sensitive_body as { properties: { value: string } }).properties.value).toContain("uuid()");
    expect(byName("customers-api-key")).toMatchObject({ sensitive_body: { properties: { value: expect.stringContaining("unset") } }, lifecycle: { ignore_changes: ["body"] } });
    // A Terraform-managed value (the connection string) is re-sent when it changes.
    expect(byName("appinsights-connection-string")).toMatchObject({ sensitive_body_version: { "properties.value": expect.stringContaining("sha256(") } });
  });

  test("the deployer holds no Key Vault secrets role and no table role (ARM creates them); its key and bundle roles are recorded suppressions", () => {
    const deployer = roles.filter((r) => String(r.principal_id).includes("data.azurerm_client_config"));
    expect(deployer.map((r) => r.role_definition_name).sort()).toEqual(["Key Vault Crypto Officer", "Storage Blob Data Contributor"]);
  });

  test("the masking hash key is readable only by the gateway", () => {
    const readers = roles.filter(scopedTo("azapi_resource", "masking-hash-key", "id"));
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
