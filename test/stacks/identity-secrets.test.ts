import { Testing } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
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
  const scopedTo = (type: string, idPart: string, attribute: string) => (r: Res) =>
    String(r.scope).includes(`${type}.`) &&
    String(r.scope).includes(idPart) &&
    String(r.scope).endsWith(`.${attribute}}`);
  const principal = (who: "gateway" | "agent") => (r: Res) =>
    String(r.principal_id).includes(`identity-secrets_${who}-identity`);

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

  test("the signing key is created through ARM (EC P-256, sign/verify, expires, rotated by its policy), never through the data plane", () => {
    expect(Object.keys(resourcesOf(synthesized, "azurerm_key_vault_key"))).toEqual([]);
    const keys = Object.values(resourcesOf(synthesized, "azapi_resource")).filter((r) =>
      String(r.type).startsWith("Microsoft.KeyVault/vaults/keys@"),
    );
    expect(keys).toEqual([
      expect.objectContaining({
        name: "gateway-signing",
        parent_id: expect.stringContaining("azurerm_key_vault.identity-secrets_key-vault"),
        body: {
          properties: {
            kty: "EC",
            curveName: "P-256",
            keyOps: ["sign", "verify"],
            attributes: { enabled: true, exportable: false, exp: expect.stringContaining("time_offset.") },
            rotationPolicy: {
              attributes: { expiryTime: "P365D" },
              lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }],
            },
          },
        },
        // ARM creates a key only if it does not exist: a changed body would be a plan ARM ignores.
        lifecycle: { ignore_changes: ["body"] },
      }),
    ]);
  });

  test("a short credential lifetime still rotates before expiry (a third of it, Key Vault's 7-day minimum respected)", () => {
    const short = Testing.synth(defaultStack({ GATEHOUSE_CREDENTIAL_EXPIRY_DAYS: "30" }));
    const key = Object.values(resourcesOf(short, "azapi_resource")).find((r) =>
      String(r.type).startsWith("Microsoft.KeyVault/vaults/keys@"),
    )!;
    expect((key.body as { properties: { rotationPolicy: unknown } }).properties.rotationPolicy).toEqual({
      attributes: { expiryTime: "P30D" },
      lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P10D" } }],
    });
  });

  test("only the gateway may sign with the key; the agent may only read its public versions (Key Vault Reader on the key)", () => {
    const onKey = roles.filter(scopedTo("azapi_resource", "signing-key", "id"));
    const signers = onKey.filter((r) => r.role_definition_name === "Key Vault Crypto User");
    expect(signers).toHaveLength(1);
    expect(principal("gateway")(signers[0])).toBe(true);
    const agent = onKey.filter(principal("agent"));
    expect(agent.map((r) => r.role_definition_name)).toEqual(["Key Vault Reader"]);
  });

  test("the agent's key read is granted before the agent starts (RBAC propagation wait), and the agent trusts the key's versions, not a fixed JWK", () => {
    const agentApp = Object.entries(resourcesOf(synthesized, "azurerm_container_app")).find(
      ([, a]) => (a.tags as Record<string, string>)["gatehouse-role"] === "agent",
    )!;
    const waits = resourcesOf(synthesized, "time_sleep");
    const agentWait = (agentApp[1].depends_on as string[])
      .map((d) => d.replace(/^time_sleep\./, ""))
      .find((d) => waits[d])!;
    const readGrant = Object.entries(resourcesOf(synthesized, "azurerm_role_assignment")).find(
      ([, r]) => r.role_definition_name === "Key Vault Reader",
    )![0];
    expect(waits[agentWait].depends_on).toContain(`azurerm_role_assignment.${readGrant}`);
    const env = (agentApp[1].template as { container: { env: { name: string; value?: string }[] }[] }).container[0].env;
    expect(env.find((e) => e.name === "GATEHOUSE_GATEWAY_SIGNING_KEY_ID")?.value).toMatch(
      /vault_uri\}keys\/gateway-signing$/,
    );
    expect(env.find((e) => e.name === "GATEHOUSE_GATEWAY_PUBLIC_JWK")).toBeUndefined();
  });

  /** Secrets are created through ARM (azapi, Microsoft.KeyVault/vaults/secrets), by name. */
  const armSecret = (name: string) =>
    Object.entries(resourcesOf(synthesized, "azapi_resource")).find(
      ([, s]) => String(s.type).startsWith("Microsoft.KeyVault/vaults/secrets@") && s.name === name,
    )!;

  test("upstream credentials: created through ARM with expiry and content type, readable only by the agent, scoped per secret", () => {
    const [, secret] = armSecret("customers-api-key");
    expect(secret).toMatchObject({
      parent_id: expect.stringContaining("azurerm_key_vault.identity-secrets_key-vault"),
      body: {
        properties: {
          contentType: expect.any(String),
          attributes: { enabled: true, exp: expect.stringContaining("time_offset.") },
        },
      },
    });
    const readers = roles.filter(scopedTo("azapi_resource", "customers-api-key", "id"));
    expect(readers).toEqual([expect.objectContaining({ role_definition_name: "Key Vault Secrets User" })]);
    expect(principal("agent")(readers[0])).toBe(true);
  });

  test("generated keys are random once and never reset; placeholders are left for the operator", () => {
    const byName = (name: string) => armSecret(name)[1];
    // Sent once at creation (no sensitive_body_version), never in the plan's visible body.
    // The value is the deployment's one key: a terraform_data's output (test/stacks/deployment-keys.test.ts).
    const generated = expect.stringMatching(/^\$\{terraform_data\.[^.]+\.output\["value"\]\}$/);
    expect(byName("gateway-session-key")).toMatchObject({
      sensitive_body: { properties: { value: generated } },
      lifecycle: { ignore_changes: ["body"] },
    });
    expect(byName("gateway-session-key").sensitive_body_version).toBeUndefined();
    expect(JSON.stringify(byName("gateway-session-key").body)).not.toContain("value");
    expect(byName("masking-hash-key")).toMatchObject({
      sensitive_body: { properties: { value: generated } },
      lifecycle: { ignore_changes: ["body"] },
    });
    expect(byName("masking-hash-key").sensitive_body_version).toBeUndefined();
    expect(byName("customers-api-key")).toMatchObject({
      sensitive_body: { properties: { value: expect.stringContaining("unset") } },
      lifecycle: { ignore_changes: ["body"] },
    });
    // A Terraform-managed value (the connection string) is re-sent when it changes.
    expect(byName("appinsights-connection-string")).toMatchObject({
      sensitive_body_version: { "properties.value": expect.stringContaining("sha256(") },
    });
  });

  test("the deployer holds no data-plane role at all: ARM creates the key, the secrets (the policy bundle too) and the tables", () => {
    // Every role assignment of the stack goes to one of the two app identities; none to the deployer.
    const others = roles.filter((r) => !principal("gateway")(r) && !principal("agent")(r));
    expect(others).toEqual([]);
    expect(JSON.parse(synthesized).data?.azurerm_client_config).toBeUndefined();
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
