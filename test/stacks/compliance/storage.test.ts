import { StorageAccount, type StorageAccountConfig } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

const secure: StorageAccountConfig = {
  ...RG,
  name: "st",
  accountTier: "Standard",
  accountReplicationType: "GZRS",
  minTlsVersion: "TLS1_2",
  allowNestedItemsToBePublic: false,
  sharedAccessKeyEnabled: false,
  publicNetworkAccessEnabled: false,
  localUserEnabled: false,
  networkRules: { defaultAction: "Deny", bypass: ["AzureServices"] },
  blobProperties: { versioningEnabled: true, deleteRetentionPolicy: { days: 30 } },
  queueProperties: { logging: { read: true, write: true, delete: true, version: "1.0" } },
};

function account(
  overrides: Partial<StorageAccountConfig> = {},
  opts: { endpoint?: boolean; containerAccess?: string } = {},
) {
  return nagStack((stack) => {
    const st = new StorageAccount(stack, "st", { ...secure, ...overrides });
    if (opts.endpoint ?? true) {
      new PrivateEndpoint(stack, "pe", {
        ...RG,
        name: "pe",
        subnetId: "s",
        privateServiceConnection: {
          name: "c",
          isManualConnection: false,
          privateConnectionResourceId: st.id,
          subresourceNames: ["blob"],
        },
      });
    }
    new MonitorDiagnosticSetting(stack, "diag", {
      name: "d",
      targetResourceId: `${st.id}/blobServices/default`,
      logAnalyticsWorkspaceId: "w",
      enabledLog: [{ categoryGroup: "allLogs" }],
    });
    if (opts.containerAccess !== undefined) {
      new StorageContainer(stack, "c", {
        name: "data",
        storageAccountId: st.id,
        containerAccessType: opts.containerAccess,
      });
    }
  });
}

const cases: [string, string, Partial<StorageAccountConfig>][] = [
  [
    "CKV_AZURE_33",
    "queue logging off",
    { queueProperties: { logging: { read: true, write: false, delete: true, version: "1.0" } } },
  ],
  [
    "CKV_AZURE_35",
    "default network action Allow",
    { networkRules: { defaultAction: "Allow", bypass: ["AzureServices"] } },
  ],
  ["CKV_AZURE_36", "trusted services not bypassed", { networkRules: { defaultAction: "Deny", bypass: ["None"] } }],
  ["CKV_AZURE_44", "TLS 1.0 accepted", { minTlsVersion: "TLS1_0" }],
  ["CKV_AZURE_59", "public network access on", { publicNetworkAccessEnabled: true }],
  ["CKV_AZURE_190", "nested items may be public", { allowNestedItemsToBePublic: true }],
  ["CKV_AZURE_206", "locally redundant", { accountReplicationType: "LRS" }],
  ["CKV_AZURE_244", "local users left on", { localUserEnabled: undefined }],
  ["CKV2_AZURE_38", "no blob soft delete", { blobProperties: { versioningEnabled: true } }],
  ["CKV2_AZURE_40", "shared keys allowed", { sharedAccessKeyEnabled: true }],
  ["CKV2_AZURE_47", "anonymous blob access allowed", { allowNestedItemsToBePublic: true }],
];

describe("storage account", () => {
  test("Compliance: the secure account passes every storage rule", () => {
    expect(ruleIds(account())).toEqual([]);
  });
  for (const [id, what, overrides] of cases) {
    test(`${id} Noncompliance 1: ${what}`, () => expectSynthFails(account(overrides), id));
  }
  test("CKV2_AZURE_33 Noncompliance 1: no private endpoint", () =>
    expectSynthFails(account({}, { endpoint: false }), "CKV2_AZURE_33"));
  test("CKV2_AZURE_47 Noncompliance 2: a public container in a private account", () =>
    expectSynthFails(account({}, { containerAccess: "blob" }), "CKV2_AZURE_47"));
  test("CKV_AZURE_34 Noncompliance 1: container with public access", () =>
    expectSynthFails(account({}, { containerAccess: "container" }), "CKV_AZURE_34"));
  test("CKV_AZURE_34 Compliance: private container", () =>
    expect(ruleIds(account({}, { containerAccess: "private" }))).toEqual([]));
});
