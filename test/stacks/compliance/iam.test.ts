import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { StorageBlob } from "@cdktf/provider-azurerm/lib/storage-blob";
import { AzapiResource } from "../../../stacks/azapi";
import { RoleAssignment, type RoleAssignmentConfig } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { grantRole } from "../../../stacks/role-grant";
import { expectSynthFails, nagStack, ruleIds } from "./nag-stack";

const assignment = (over: Partial<RoleAssignmentConfig>) =>
  nagStack((stack) => {
    new RoleAssignment(stack, "ra", { scope: "/subscriptions/x/resourceGroups/rg", principalId: "p", ...over });
  });

describe("role assignments", () => {
  test("GH_IAM_1 Noncompliance 1: Owner", () =>
    expectSynthFails(assignment({ roleDefinitionName: "Owner" }), "GH_IAM_1"));
  test("GH_IAM_1 Noncompliance 2: Contributor", () =>
    expectSynthFails(assignment({ roleDefinitionName: "Contributor" }), "GH_IAM_1"));
  test("GH_IAM_1 Noncompliance 3: User Access Administrator by definition id", () =>
    expectSynthFails(
      assignment({
        roleDefinitionId:
          "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
      }),
      "GH_IAM_1",
    ));
  test("GH_IAM_1 Compliance", () =>
    expect(ruleIds(assignment({ roleDefinitionName: "Key Vault Secrets User" }))).toEqual([]));
  test("grantRole refuses the broad roles before synth", () => {
    expect(() =>
      nagStack((stack) =>
        grantRole(stack, "g", { role: "Contributor", scope: "s", principalId: "p", description: "d" }),
      ),
    ).toThrow(/never assigned/);
  });
});

describe("the deploying principal", () => {
  const toDeployer = (role: string) =>
    nagStack((stack) => {
      const deployer = new DataAzurermClientConfig(stack, "deployer", {});
      new RoleAssignment(stack, "ra", {
        scope: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        principalId: deployer.objectId,
        roleDefinitionName: role,
      });
    });
  test("GH_IAM_3 Noncompliance 1: Key Vault Secrets Officer", () =>
    expectSynthFails(toDeployer("Key Vault Secrets Officer"), "GH_IAM_3"));
  test("GH_IAM_3 Noncompliance 2: Storage Table Data Contributor (could forge approvals)", () =>
    expectSynthFails(toDeployer("Storage Table Data Contributor"), "GH_IAM_3"));
  test("GH_IAM_3 Noncompliance 3: Key Vault Crypto Officer (could mint agent tokens)", () =>
    expectSynthFails(toDeployer("Key Vault Crypto Officer"), "GH_IAM_3"));
  test("GH_IAM_3 Compliance: a management-plane role", () =>
    expect(ruleIds(toDeployer("Key Vault Contributor"))).toEqual([]));
  test("GH_IAM_3 Compliance: data roles for managed identities are not the deployer's", () =>
    expect(ruleIds(assignment({ roleDefinitionName: "Key Vault Secrets User" }))).toEqual([]));
});

describe("no data-plane writes in the stack (a first deploy from outside the VNet, no deployer data role)", () => {
  test("GH_DEPLOY_1 Noncompliance 1: a Key Vault key through the data plane", () =>
    expectSynthFails(
      nagStack(
        (stack) =>
          new KeyVaultKey(stack, "k", {
            name: "k",
            keyVaultId: "kv",
            keyType: "EC",
            keyOpts: ["sign"],
            expirationDate: "2030-01-01T00:00:00Z",
          }),
      ),
      "GH_DEPLOY_1",
    ));
  test("GH_DEPLOY_1 Noncompliance 2: a blob written by the deployer", () =>
    expectSynthFails(
      nagStack(
        (stack) =>
          new StorageBlob(stack, "b", {
            name: "b",
            storageAccountName: "st",
            storageContainerName: "c",
            type: "Block",
            sourceContent: "x",
          }),
      ),
      "GH_DEPLOY_1",
    ));
  test("GH_DEPLOY_1 Compliance: the same objects through ARM (azapi)", () =>
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
