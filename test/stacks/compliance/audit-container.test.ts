import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import {
  StorageContainerImmutabilityPolicy,
  type StorageContainerImmutabilityPolicyConfig,
} from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { expectSynthFails, nagStack, ruleIds } from "./nag-stack";

const containers = (policy?: Partial<StorageContainerImmutabilityPolicyConfig>, name = "audit") =>
  nagStack((stack) => {
    const container = new StorageContainer(stack, "audit", {
      name,
      storageAccountId: "st",
      containerAccessType: "private",
    });
    if (policy) {
      new StorageContainerImmutabilityPolicy(stack, "worm", {
        storageContainerResourceManagerId: container.resourceManagerId,
        immutabilityPeriodInDays: 400,
        ...policy,
      });
    }
  });

describe("audit container", () => {
  test("GH_WORM_1 Noncompliance 1: no immutability policy", () => expectSynthFails(containers(), "GH_WORM_1"));
  test("GH_WORM_1 Noncompliance 2: policy without protected append writes", () =>
    expectSynthFails(containers({}), "GH_WORM_1"));
  test("GH_WORM_1 Compliance", () =>
    expect(ruleIds(containers({ protectedAppendWritesAllEnabled: true }))).toEqual([]));
  test("GH_WORM_1 Compliance: other containers are not applicable", () =>
    expect(ruleIds(containers(undefined, "config"))).toEqual([]));
});

describe("locked audit policy", () => {
  test("GH_WORM_2 Noncompliance 1: locked and the period still managed by Terraform", () =>
    expectSynthFails(containers({ protectedAppendWritesEnabled: true, locked: true }), "GH_WORM_2"));
  test("GH_WORM_2 Compliance: locked with the period ignored", () =>
    expect(
      ruleIds(
        containers({
          protectedAppendWritesEnabled: true,
          locked: true,
          lifecycle: { ignoreChanges: ["immutability_period_in_days"] },
        }),
      ),
    ).toEqual([]));
  test("GH_WORM_2 Compliance: unlocked policies are not applicable", () =>
    expect(ruleIds(containers({ protectedAppendWritesEnabled: true }))).toEqual([]));
});
