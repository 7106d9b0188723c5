import { KeyVault, type KeyVaultConfig } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { AzapiResource } from "../../../stacks/azapi";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

const secure: KeyVaultConfig = {
  ...RG,
  name: "kv",
  tenantId: "t",
  skuName: "standard",
  rbacAuthorizationEnabled: true,
  purgeProtectionEnabled: true,
  softDeleteRetentionDays: 90,
  publicNetworkAccessEnabled: false,
  networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
};

function vault(overrides: Partial<KeyVaultConfig> = {}, withEndpoint = true) {
  return nagStack((stack) => {
    const kv = new KeyVault(stack, "kv", { ...secure, ...overrides });
    if (withEndpoint) {
      new PrivateEndpoint(stack, "pe", {
        ...RG,
        name: "pe",
        subnetId: "s",
        privateServiceConnection: {
          name: "c",
          isManualConnection: false,
          privateConnectionResourceId: kv.id,
          subresourceNames: ["vault"],
        },
      });
    }
  });
}

describe("Key Vault", () => {
  describe("CKV_AZURE_42: recoverable", () => {
    test("Noncompliance 1: no purge protection", () =>
      expectSynthFails(vault({ purgeProtectionEnabled: false }), "CKV_AZURE_42"));
    test("Noncompliance 2: no soft-delete retention", () =>
      expectSynthFails(vault({ softDeleteRetentionDays: undefined }), "CKV_AZURE_42"));
    test("Compliance", () => expect(ruleIds(vault())).not.toContain("CKV_AZURE_42"));
  });
  describe("CKV_AZURE_109: firewall denies by default", () => {
    test("Noncompliance 1: Allow", () =>
      expectSynthFails(vault({ networkAcls: { defaultAction: "Allow", bypass: "AzureServices" } }), "CKV_AZURE_109"));
    test("Noncompliance 2: no ACLs", () => expectSynthFails(vault({ networkAcls: undefined }), "CKV_AZURE_109"));
    test("Compliance", () => expect(ruleIds(vault())).not.toContain("CKV_AZURE_109"));
  });
  describe("CKV_AZURE_110: purge protection", () => {
    test("Noncompliance 1", () => expectSynthFails(vault({ purgeProtectionEnabled: undefined }), "CKV_AZURE_110"));
    test("Compliance", () => expect(ruleIds(vault())).not.toContain("CKV_AZURE_110"));
  });
  describe("CKV_AZURE_189: no public network access", () => {
    test("Noncompliance 1: enabled", () =>
      expectSynthFails(vault({ publicNetworkAccessEnabled: true }), "CKV_AZURE_189"));
    test("Noncompliance 2: left to the default", () =>
      expectSynthFails(vault({ publicNetworkAccessEnabled: undefined }), "CKV_AZURE_189"));
    test("Compliance", () => expect(ruleIds(vault())).not.toContain("CKV_AZURE_189"));
  });
  describe("CKV2_AZURE_32: private endpoint", () => {
    test("Noncompliance 1", () => expectSynthFails(vault({}, false), "CKV2_AZURE_32"));
    test("Compliance", () => expect(ruleIds(vault())).not.toContain("CKV2_AZURE_32"));
  });
});

describe("Key Vault keys and secrets", () => {
  const objects = (opts: { keyExpiry?: string; secretExpiry?: string; contentType?: string }) =>
    nagStack((stack) => {
      new KeyVaultKey(stack, "key", {
        name: "k",
        keyVaultId: "kv",
        keyType: "EC",
        curve: "P-256",
        keyOpts: ["sign"],
        expirationDate: opts.keyExpiry,
      });
      new KeyVaultSecret(stack, "secret", {
        name: "s",
        keyVaultId: "kv",
        value: "v",
        expirationDate: opts.secretExpiry,
        contentType: opts.contentType,
      });
    });
  const all = { keyExpiry: "2030-01-01T00:00:00Z", secretExpiry: "2030-01-01T00:00:00Z", contentType: "text/plain" };

  describe("CKV_AZURE_40: key expiry", () => {
    test("Noncompliance 1", () => expectSynthFails(objects({ ...all, keyExpiry: undefined }), "CKV_AZURE_40"));
    test("Compliance", () => expect(ruleIds(objects(all))).not.toContain("CKV_AZURE_40"));
  });
  describe("CKV_AZURE_41: secret expiry", () => {
    test("Noncompliance 1", () => expectSynthFails(objects({ ...all, secretExpiry: undefined }), "CKV_AZURE_41"));
    test("Compliance", () => expect(ruleIds(objects(all))).not.toContain("CKV_AZURE_41"));
  });
  describe("CKV_AZURE_114: secret content type", () => {
    test("Noncompliance 1: missing", () =>
      expectSynthFails(objects({ ...all, contentType: undefined }), "CKV_AZURE_114"));
    test("Noncompliance 2: blank", () => expectSynthFails(objects({ ...all, contentType: "  " }), "CKV_AZURE_114"));
    // These azurerm (data-plane) resources still get the Key Vault rules; GH_DEPLOY_1 refuses them on its own.
    test("Compliance", () => expect(ruleIds(objects(all)).filter((id) => id !== "GH_DEPLOY_1")).toEqual([]));
  });
});

describe("secrets created through ARM (azapi)", () => {
  const armSecret = (properties: Record<string, unknown>) =>
    nagStack((stack) => {
      new AzapiResource(stack, "s", {
        type: "Microsoft.KeyVault/vaults/secrets@2023-07-01",
        name: "s",
        parentId: "kv",
        body: { properties },
      });
    });
  test("CKV_AZURE_41 Noncompliance: no attributes.exp", () =>
    expectSynthFails(armSecret({ contentType: "text/plain" }), "CKV_AZURE_41"));
  test("CKV_AZURE_114 Noncompliance: no contentType", () =>
    expectSynthFails(armSecret({ attributes: { exp: 1900000000 } }), "CKV_AZURE_114"));
  test("Compliance", () =>
    expect(ruleIds(armSecret({ contentType: "text/plain", attributes: { exp: 1900000000 } }))).toEqual([]));
  test("Compliance: other ARM types are not applicable", () =>
    expect(
      ruleIds(
        nagStack(
          (stack) =>
            new AzapiResource(stack, "t", {
              type: "Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01",
              name: "t",
              parentId: "st",
              body: {},
            }),
        ),
      ),
    ).toEqual([]));
});

describe("keys created through ARM (azapi)", () => {
  const armKey = (properties: Record<string, unknown>) =>
    nagStack((stack) => {
      new AzapiResource(stack, "k", {
        type: "Microsoft.KeyVault/vaults/keys@2023-07-01",
        name: "k",
        parentId: "kv",
        body: { properties },
      });
    });
  const rotation = {
    attributes: { expiryTime: "P365D" },
    lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: "P30D" } }],
  };
  test("CKV_AZURE_40 Noncompliance 1: no attributes.exp", () =>
    expectSynthFails(armKey({ kty: "EC", rotationPolicy: rotation }), "CKV_AZURE_40"));
  test("CKV_AZURE_40 Noncompliance 2: rotated versions never expire", () =>
    expectSynthFails(
      armKey({
        kty: "EC",
        attributes: { exp: 1900000000 },
        rotationPolicy: { lifetimeActions: rotation.lifetimeActions },
      }),
      "CKV_AZURE_40",
    ));
  test("Compliance", () =>
    expect(ruleIds(armKey({ kty: "EC", attributes: { exp: 1900000000 }, rotationPolicy: rotation }))).toEqual([]));
});
