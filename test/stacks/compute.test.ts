import { Testing } from "cdktf";
import { ContainerAppEnvironment } from "@cdktf/provider-azurerm/lib/container-app-environment";
import { ContainerApp } from "@cdktf/provider-azurerm/lib/container-app";
import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry";
import { defaultStack, NO_EDGE, resourcesOf } from "./support/default-stack";

type Env = { name: string; value?: string; secret_name?: string };

function appEnv(synthesized: string, role: string): Map<string, Env> {
  const app = Object.values(resourcesOf(synthesized, "azurerm_container_app")).find(
    (a) => (a.tags as Record<string, string>)["gatehouse-role"] === role,
  )!;
  const container = (app.template as { container: { env: Env[] }[] }).container[0];
  return new Map(container.env.map((e) => [e.name, e]));
}

describe("compute", () => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = Testing.synth(defaultStack());
  });

  test("the environment is in the VNet, Consumption profile, zone redundant, logs via Azure Monitor", () => {
    expect(synthesized).toHaveResourceWithProperties(ContainerAppEnvironment, {
      infrastructure_subnet_id: expect.stringContaining("network_apps-subnet"),
      zone_redundancy_enabled: true,
      logs_destination: "azure-monitor",
      workload_profile: [expect.objectContaining({ workload_profile_type: "Consumption" })],
    });
  });

  test("the gateway: external HTTPS only, probes, two replicas", () => {
    expect(synthesized).toHaveResourceWithProperties(ContainerApp, {
      name: "ca-gh-prod-gateway",
      ingress: expect.objectContaining({ external_enabled: true, allow_insecure_connections: false }),
      template: expect.objectContaining({
        min_replicas: 2,
        container: [
          expect.objectContaining({
            liveness_probe: [expect.objectContaining({ path: "/healthz" })],
            readiness_probe: [expect.objectContaining({ path: "/readyz" })],
          }),
        ],
      }),
    });
  });

  test("the gateway trusts X-Forwarded-For only from its environment's infrastructure subnet (where the ingress runs); the agent trusts no proxy", () => {
    const environment = Object.values(resourcesOf(synthesized, "azurerm_container_app_environment"))[0];
    const subnetRef = /^\$\{(azurerm_subnet\.[^.]+)\.id\}$/.exec(environment.infrastructure_subnet_id as string)![1];
    expect(appEnv(synthesized, "gateway").get("GATEHOUSE_TRUSTED_PROXIES")?.value).toBe(
      `\${join(",", ${subnetRef}.address_prefixes)}`,
    );
    const subnet = resourcesOf(synthesized, "azurerm_subnet")[subnetRef.split(".")[1]];
    expect(subnet.address_prefixes).toEqual([expect.stringMatching(/^\d+\.\d+\.\d+\.\d+\/\d+$/)]);
    expect(appEnv(synthesized, "agent").has("GATEHOUSE_TRUSTED_PROXIES")).toBe(false);
  });

  test("the agent is internal only", () => {
    expect(synthesized).toHaveResourceWithProperties(ContainerApp, {
      name: "ca-gh-prod-agent",
      ingress: expect.objectContaining({ external_enabled: false, allow_insecure_connections: false }),
    });
  });

  test("gateway settings the runtime reads; the connection string is a Key Vault reference", () => {
    const env = appEnv(synthesized, "gateway");
    for (const name of [
      "GATEHOUSE_PORT",
      "GATEHOUSE_HOST",
      "GATEHOUSE_TENANT_IDS",
      "GATEHOUSE_AUDIENCE",
      "GATEHOUSE_IDENTITY_METADATA",
      "GATEHOUSE_AGENT_URL",
      "GATEHOUSE_PUBLIC_URL",
      "GATEHOUSE_STORAGE_BLOB_URL",
      "GATEHOUSE_STORAGE_TABLE_URL",
      "GATEHOUSE_POLICY_SECRET_URL",
      "GATEHOUSE_KEYVAULT_URL",
      "GATEHOUSE_SIGNING_KEY_NAME",
      "AZURE_CLIENT_ID",
    ]) {
      expect(env.get(name)?.value).toEqual(expect.any(String));
    }
    expect(env.get("GATEHOUSE_AGENT_URL")?.value).toMatch(/^https:\/\/ca-gh-prod-agent\.internal\./);
    expect(env.get("APPLICATIONINSIGHTS_CONNECTION_STRING")).toEqual(
      expect.objectContaining({ secret_name: expect.any(String) }),
    );
    expect(env.get("APPLICATIONINSIGHTS_CONNECTION_STRING")?.value).toBeUndefined();
    expect(env.get("GATEHOUSE_SESSION_KEY")).toEqual(expect.objectContaining({ secret_name: "gatehouse-session-key" }));
    expect(env.get("GATEHOUSE_HOST")?.value).toBe("0.0.0.0");
    // Versionless Key Vault references (the latest version), read with the gateway's identity.
    const reference = (secret: string) =>
      expect.objectContaining({
        key_vault_secret_id: expect.stringMatching(new RegExp(`key-vault_[A-Z0-9]+\\.vault_uri\\}secrets/${secret}$`)),
        identity: expect.stringContaining("gateway-identity"),
      });
    // The `hash` masking style's key: a Key Vault reference, never a value in the app's configuration.
    expect(env.get("GATEHOUSE_MASKING_HASH_KEY")).toEqual(
      expect.objectContaining({ secret_name: "gatehouse-masking-hash-key" }),
    );
    expect(env.get("GATEHOUSE_MASKING_HASH_KEY")?.value).toBeUndefined();
    expect(synthesized).toHaveResourceWithProperties(ContainerApp, {
      name: "ca-gh-prod-gateway",
      secret: [
        reference("appinsights-connection-string"),
        reference("gateway-session-key"),
        expect.objectContaining({
          name: "gatehouse-masking-hash-key",
          key_vault_secret_id: expect.stringMatching(/secrets\/masking-hash-key$/),
        }),
      ],
    });
  });

  test("agent settings", () => {
    const env = appEnv(synthesized, "agent");
    for (const name of [
      "GATEHOUSE_PORT",
      "GATEHOUSE_HOST",
      "GATEHOUSE_KEYVAULT_URL",
      "GATEHOUSE_POLICY_SECRET_URL",
      "GATEHOUSE_CREDENTIAL_PROVIDER",
      "AZURE_CLIENT_ID",
    ]) {
      expect(env.get(name)?.value).toEqual(expect.any(String));
    }
    // The gateway's key as Key Vault holds it (every enabled version, read by the agent); no fixed JWK.
    expect(env.get("GATEHOUSE_GATEWAY_SIGNING_KEY_ID")?.value).toMatch(/vault_uri\}keys\/gateway-signing$/);
    expect(env.get("GATEHOUSE_GATEWAY_PUBLIC_JWK")).toBeUndefined();
    expect(env.get("AZURE_CLIENT_ID")?.value).toContain("agent-identity");
    expect(env.get("GATEHOUSE_MASKING_HASH_KEY")).toBeUndefined();
  });

  test("no registry unless asked (synth warns: only public images can be pulled)", () => {
    expect(Object.keys(resourcesOf(synthesized, "azurerm_container_registry"))).toHaveLength(0);
    const stack = defaultStack();
    Testing.synth(stack);
    expect(
      stack.node.metadata.some((m) => m.type === "@cdktf/warn" && String(m.data).includes("no registry configured")),
    ).toBe(true);
  });

  test("GATEHOUSE_CREATE_ACR: a private registry (no public access, private endpoint), both identities pull with AcrPull", () => {
    const withAcr = Testing.synth(defaultStack({ GATEHOUSE_CREATE_ACR: "true" }));
    expect(withAcr).toHaveResourceWithProperties(ContainerRegistry, {
      sku: "Premium",
      admin_enabled: false,
      anonymous_pull_enabled: false,
      public_network_access_enabled: false,
    });
    const endpoints = Object.values(resourcesOf(withAcr, "azurerm_private_endpoint")).filter((e) =>
      JSON.stringify(e).includes("azurerm_container_registry."),
    );
    expect(endpoints).toHaveLength(1);
    const pulls = Object.values(resourcesOf(withAcr, "azurerm_role_assignment")).filter(
      (r) => r.role_definition_name === "AcrPull",
    );
    expect(pulls).toHaveLength(2);
  });

  test("GATEHOUSE_REGISTRY_ID: an existing registry, pulled with each app's identity, images must live in it", () => {
    const id =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/ContosoAcr";
    const image = "contosoacr.azurecr.io/gatehouse@sha256:" + "a".repeat(64);
    const synthesizedWith = Testing.synth(
      defaultStack({ GATEHOUSE_REGISTRY_ID: id, GATEHOUSE_GATEWAY_IMAGE: image, GATEHOUSE_AGENT_IMAGE: image }),
    );
    expect(Object.keys(resourcesOf(synthesizedWith, "azurerm_container_registry"))).toHaveLength(0);
    const pulls = Object.values(resourcesOf(synthesizedWith, "azurerm_role_assignment")).filter(
      (r) => r.role_definition_name === "AcrPull",
    );
    expect(pulls.map((p) => p.scope)).toEqual([id, id]);
    for (const app of Object.values(resourcesOf(synthesizedWith, "azurerm_container_app"))) {
      expect(app.registry).toEqual([
        expect.objectContaining({ server: "contosoacr.azurecr.io", identity: expect.stringContaining("identity") }),
      ]);
    }
    expect(() =>
      defaultStack({
        GATEHOUSE_REGISTRY_ID: id,
        GATEHOUSE_GATEWAY_IMAGE: "elsewhere.io/gatehouse:1",
        GATEHOUSE_AGENT_IMAGE: image,
      }),
    ).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_INVALID", details: { variables: ["GATEHOUSE_GATEWAY_IMAGE"] } }),
    );
  });
});

test("outputs: the gateway URL operators register as the approval page's redirect base", () => {
  const stack = defaultStack();
  const outputs = JSON.parse(Testing.synth(stack)).output as Record<string, { value: string }>;
  // Behind the edge (the default): Front Door's endpoint; without it, the app's own host.
  expect(outputs.gateway_url.value).toMatch(/^https:\/\/\$\{azurerm_cdn_frontdoor_endpoint\.[^.]+\.host_name\}$/);
  const withoutEdge = JSON.parse(Testing.synth(defaultStack(NO_EDGE))).output as Record<string, { value: string }>;
  expect(withoutEdge.gateway_url.value).toMatch(
    /^https:\/\/ca-gh-prod-gateway\.\$\{azurerm_container_app_environment\..*\.default_domain\}$/,
  );
  expect(Object.keys(outputs)).toEqual(
    expect.arrayContaining(["key_vault_name", "audit_storage_account", "policy_bundle_version"]),
  );
});

describe("approval page sign-in (a confidential client)", () => {
  const CLIENT_ID = "11111111-2222-3333-4444-555555555555";
  test("with GATEHOUSE_APPROVALS_CLIENT_ID: the gateway gets the client id, and its secret as a Key Vault reference only the gateway reads", () => {
    const synthesized = Testing.synth(defaultStack({ GATEHOUSE_APPROVALS_CLIENT_ID: CLIENT_ID }));
    const env = appEnv(synthesized, "gateway");
    expect(env.get("GATEHOUSE_APPROVALS_CLIENT_ID")?.value).toBe(CLIENT_ID);
    expect(env.get("GATEHOUSE_APPROVALS_CLIENT_SECRET")).toEqual({
      name: "GATEHOUSE_APPROVALS_CLIENT_SECRET",
      secret_name: "gatehouse-approvals-client-secret",
    });
    expect(appEnv(synthesized, "agent").get("GATEHOUSE_APPROVALS_CLIENT_SECRET")).toBeUndefined();
    const readers = Object.values(resourcesOf(synthesized, "azurerm_role_assignment")).filter((r) =>
      String(r.scope).includes("approvals-client-secret"),
    );
    expect(readers).toEqual([
      expect.objectContaining({
        role_definition_name: "Key Vault Secrets User",
        principal_id: expect.stringContaining("gateway-identity"),
      }),
    ]);
  });
  test("without it: no secret, and synth warns that approvers cannot sign in", () => {
    const stack = defaultStack();
    const synthesized = Testing.synth(stack);
    expect(appEnv(synthesized, "gateway").get("GATEHOUSE_APPROVALS_CLIENT_ID")).toBeUndefined();
    const warnings = stack.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings.some((w) => w.includes("GATEHOUSE_APPROVALS_CLIENT_ID is not set"))).toBe(true);
  });
  test("a client id that is not a GUID is refused", () => {
    expect(() => defaultStack({ GATEHOUSE_APPROVALS_CLIENT_ID: "gatehouse" })).toThrow(
      expect.objectContaining({ code: "ERR_CONFIG_INVALID" }),
    );
  });
});

describe("custom domain (GATEHOUSE_PUBLIC_URL)", () => {
  test("the gateway accepts the custom host and its own; outputs give the DNS records to create", () => {
    const synthesized = Testing.synth(defaultStack({ GATEHOUSE_PUBLIC_URL: "https://mcp.contoso.com" }));
    const env = appEnv(synthesized, "gateway");
    expect(env.get("GATEHOUSE_PUBLIC_URL")?.value).toBe("https://mcp.contoso.com");
    expect(env.get("GATEHOUSE_ALLOWED_HOSTS")?.value).toMatch(
      /^mcp\.contoso\.com,ca-gh-prod-gateway\.\$\{azurerm_container_app_environment\..*\.default_domain\}$/,
    );
    const outputs = JSON.parse(synthesized).output as Record<string, { value: string; sensitive?: boolean }>;
    expect(outputs.gateway_default_fqdn.value).toContain("ca-gh-prod-gateway.");
    expect(outputs.custom_domain_verification_id.value).toContain("custom_domain_verification_id");
  });
  test("without one and without the edge, the gateway's allowed host stays its default (the public URL's host)", () => {
    expect(appEnv(Testing.synth(defaultStack(NO_EDGE)), "gateway").get("GATEHOUSE_ALLOWED_HOSTS")).toBeUndefined();
  });
  test("without one behind the edge, the gateway accepts Front Door's host and its own (the origin host header)", () => {
    expect(appEnv(Testing.synth(defaultStack()), "gateway").get("GATEHOUSE_ALLOWED_HOSTS")?.value).toMatch(
      /^\$\{azurerm_cdn_frontdoor_endpoint\.[^.]+\.host_name\},ca-gh-prod-gateway\.\$\{azurerm_container_app_environment\..*\.default_domain\}$/,
    );
  });
});
