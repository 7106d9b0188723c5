import { Testing } from "cdktf";
import { StorageBlob } from "@cdktf/provider-azurerm/lib/storage-blob";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { checkBundle, sealBundle } from "../../policies/bundle-version";
import { GatehouseStack } from "../../stacks/gatehouse-stack";
import { defaultStack, resourcesOf, testBundle, testBundleBody, testConfig } from "./support/default-stack";

describe("policy bundle delivery", () => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = Testing.synth(defaultStack());
  });

  test("a private config container without immutability", () => {
    expect(synthesized).toHaveResourceWithProperties(StorageContainer, { name: "config", container_access_type: "private" });
    const policies = Object.values(resourcesOf(synthesized, "azurerm_storage_container_immutability_policy"));
    expect(policies).toHaveLength(1);
    expect(String(policies[0].storage_container_resource_manager_id)).toContain("audit-container");
  });

  test("the blob holds the sealed bundle, which the runtime accepts", () => {
    const blob = Object.values(resourcesOf(synthesized, "azurerm_storage_blob"))[0];
    expect(blob).toMatchObject({ name: "policy-bundle.json", content_type: "application/json", metadata: { version: testBundle().version } });
    const check = checkBundle(JSON.parse(String(blob.source_content)));
    expect(check.ok).toBe(true);
    expect(synthesized).toHaveResourceWithProperties(StorageBlob, { storage_container_name: expect.stringContaining("config-container") });
  });

  test("gateway and agent read only the config container", () => {
    const readers = Object.values(resourcesOf(synthesized, "azurerm_role_assignment")).filter((r) => r.role_definition_name === "Storage Blob Data Reader");
    expect(readers).toHaveLength(2);
    for (const r of readers) expect(String(r.scope)).toContain("config-container");
  });
});

describe("policy bundle content reaches the blob verbatim", () => {
  test("template sequences in policy text are escaped for Terraform", () => {
    const bundle = sealBundle({
      ...testBundleBody(),
      guardrails: [{ id: "no-home", servers: ["customers"], message: "never expand ${HOME} or %{ if x }" }],
    });
    const stack = new GatehouseStack(Testing.app(), "gatehouse", { config: testConfig(), policyBundle: bundle });
    const blob = Object.values(resourcesOf(Testing.synth(stack), "azurerm_storage_blob"))[0];
    expect(String(blob.source_content)).toContain("never expand $${HOME} or %%{ if x }");
    // What Terraform writes after unescaping is the sealed bundle itself.
    const unescaped = String(blob.source_content).replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    expect(checkBundle(JSON.parse(unescaped))).toEqual({ ok: true, bundle });
  });
});
