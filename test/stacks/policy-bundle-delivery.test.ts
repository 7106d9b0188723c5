import { Testing } from "cdktf";
import { checkBundle, sealBundle } from "../../runtime/core/policy-model/bundle-version";
import { GatehouseStack } from "../../stacks/gatehouse-stack";
import { KEY_VAULT_SECRET_MAX_BYTES } from "../../stacks/policy-bundle-delivery";
import { defaultStack, resourcesOf, testBundle, testBundleBody, testConfig } from "./support/default-stack";

type Res = Record<string, any>;
const bundleSecret = (synthesized: string): [string, Res] =>
  Object.entries(resourcesOf(synthesized, "azapi_resource")).find(
    ([, r]) => String(r.type).startsWith("Microsoft.KeyVault/vaults/secrets@") && r.name === "policy-bundle",
  ) as [string, Res];
const unescape = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

describe("policy bundle delivery: a Key Vault secret written through ARM", () => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = Testing.synth(defaultStack());
  });

  test("no blob, no config container, no data-plane write: the bundle is an ARM secret in the stack's vault", () => {
    expect(Object.keys(resourcesOf(synthesized, "azurerm_storage_blob"))).toEqual([]);
    expect(Object.values(resourcesOf(synthesized, "azurerm_storage_container")).map((c) => c.name)).toEqual(["audit"]);
    const [, secret] = bundleSecret(synthesized);
    expect(secret).toMatchObject({
      parent_id: expect.stringContaining("azurerm_key_vault.identity-secrets_key-vault"),
      body: {
        properties: {
          contentType: "application/json; gatehouse-policy-bundle",
          attributes: { enabled: true, exp: expect.stringContaining("time_offset.policy-bundle_expiry") },
        },
      },
    });
  });

  test("the secret holds the sealed bundle, which the runtime accepts; a new bundle version re-sends it (a new secret version)", () => {
    const [, secret] = bundleSecret(synthesized);
    expect(checkBundle(JSON.parse(unescape(secret.sensitive_body.properties.value)))).toEqual({
      ok: true,
      bundle: testBundle(),
    });
    expect(secret.sensitive_body_version).toEqual({ "properties.value": testBundle().version });
    // Its expiry restarts with each policy version.
    const offsets = resourcesOf(synthesized, "time_offset");
    const expiry = Object.entries(offsets).find(([id]) => id.startsWith("policy-bundle_expiry"))![1];
    expect(expiry.triggers).toEqual({ version: testBundle().version });
  });

  test("only the gateway and the agent read it (Key Vault Secrets User on that secret), and both apps are told where it is", () => {
    const [id] = bundleSecret(synthesized);
    const readers = (Object.values(resourcesOf(synthesized, "azurerm_role_assignment")) as Res[]).filter(
      (r) => r.scope === `\${azapi_resource.${id}.id}`,
    );
    expect(
      readers
        .map((r) => [
          r.role_definition_name,
          /gateway-identity/.test(r.principal_id)
            ? "gateway"
            : /agent-identity/.test(r.principal_id)
              ? "agent"
              : "other",
        ])
        .sort(),
    ).toEqual([
      ["Key Vault Secrets User", "agent"],
      ["Key Vault Secrets User", "gateway"],
    ]);
    for (const app of Object.values(resourcesOf(synthesized, "azurerm_container_app")) as Res[]) {
      const env = app.template.container[0].env as { name: string; value?: string }[];
      expect(env.find((e) => e.name === "GATEHOUSE_POLICY_SECRET_URL")?.value).toMatch(
        /vault_uri\}secrets\/policy-bundle$/,
      );
      expect(env.find((e) => e.name === "GATEHOUSE_POLICY_BLOB_URL")).toBeUndefined();
    }
  });

  test("a bundle above Key Vault's secret size limit fails synth, naming its size", () => {
    const big = sealBundle({
      ...testBundleBody(),
      guardrails: [{ id: "big", servers: ["customers"], message: "x".repeat(KEY_VAULT_SECRET_MAX_BYTES) }],
    });
    expect(() =>
      Testing.synth(new GatehouseStack(Testing.app(), "gatehouse", { config: testConfig(), policyBundle: big })),
    ).toThrow(/policy-bundle: the sealed policy bundle is \d+ bytes, above Key Vault's secret size limit/);
  });
});

describe("policy bundle content reaches the secret verbatim", () => {
  test("template sequences in policy text are escaped for Terraform", () => {
    const bundle = sealBundle({
      ...testBundleBody(),
      guardrails: [{ id: "no-home", servers: ["customers"], message: "never expand ${HOME} or %{ if x }" }],
    });
    const stack = new GatehouseStack(Testing.app(), "gatehouse", { config: testConfig(), policyBundle: bundle });
    const value = String(bundleSecret(Testing.synth(stack))[1].sensitive_body.properties.value);
    expect(value).toContain("never expand $${HOME} or %%{ if x }");
    // What Terraform sends after unescaping is the sealed bundle itself.
    expect(checkBundle(JSON.parse(unescape(value)))).toEqual({ ok: true, bundle });
  });
});
