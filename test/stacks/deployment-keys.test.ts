/**
 * One session key and one masking hash key per deployment (stacks/deployment-keys.ts): each is a
 * terraform_data generated once, its output fixed by ignore_changes on its input, and every
 * region's vault secret of that name is sent that output — so sessions, edited approvals and
 * `hash` fingerprints work the same in every region.
 */
import { Testing } from "cdktf";
import { defaultStack, NO_EDGE, resourcesOf, testBundle } from "./support/default-stack";

type R = Record<string, unknown>;
const TWO = { GATEHOUSE_REGIONS: "westeurope,northeurope" };
const HASH_KEY = testBundle().maskingSettings.hashKeySecretName;
const GENERATED = ["gateway-session-key", HASH_KEY];

/** Every Key Vault secret named `name` (one per region), as [the vault it is in, the value it is sent]. */
function secretsNamed(synth: string, name: string): { parent: string; value: string; resource: R }[] {
  return Object.values(resourcesOf(synth, "azapi_resource"))
    .filter((s) => String(s.type).startsWith("Microsoft.KeyVault/vaults/secrets@") && s.name === name)
    .map((s) => ({
      parent: String(s.parent_id),
      value: (s.sensitive_body as { properties: { value: string } }).properties.value,
      resource: s,
    }));
}

/** The terraform_data whose output `value` is referenced, by logical id. */
function referencedData(synth: string, value: string): [string, R] {
  const match = /^\$\{terraform_data\.([^.]+)\.output\["value"\]\}$/.exec(value);
  expect({ value, referencesTerraformData: match !== null }).toEqual({ value, referencesTerraformData: true });
  const data = resourcesOf(synth, "terraform_data");
  expect(Object.keys(data)).toContain(match![1]);
  return [match![1], data[match![1]]];
}

describe("deployment keys: generated once, the same in every region", () => {
  test("two regions: each region's session key and masking hash key reference the same terraform_data output", () => {
    // GIVEN two regions WHEN synthesized
    const synth = Testing.synth(defaultStack(TWO));
    const ids = GENERATED.map((name) => {
      const secrets = secretsNamed(synth, name);
      // THEN one secret per region, in two different vaults, sent one value
      expect(secrets).toHaveLength(2);
      expect(new Set(secrets.map((s) => s.parent)).size).toBe(2);
      expect(secrets[1].value).toBe(secrets[0].value);
      // and that value is a terraform_data's output, sent once (never re-sent: no version)
      for (const s of secrets) {
        expect(s.resource.sensitive_body_version).toBeUndefined();
        expect(s.resource.lifecycle).toEqual({ ignore_changes: ["body"] });
      }
      return referencedData(synth, secrets[0].value)[0];
    });
    // Two keys, two distinct values: the session key is not the hash key.
    expect(new Set(ids).size).toBe(2);
    expect(Object.keys(resourcesOf(synth, "terraform_data")).sort()).toEqual([...ids].sort());
  });

  test("the terraform_data's input is the random key, marked sensitive, and ignore_changes on input keeps its output fixed", () => {
    const synth = Testing.synth(defaultStack(TWO));
    for (const name of GENERATED) {
      const [, data] = referencedData(synth, secretsNamed(synth, name)[0].value);
      expect(data.lifecycle).toEqual({ ignore_changes: ["input"] });
      const input = (data.input as { value: string }).value;
      expect(input).toMatch(/^\$\{sensitive\(base64sha256\(join\("", \[uuid\(\), uuid\(\)\]\)\)\)\}$/);
      expect(data.triggers_replace).toBeUndefined();
    }
  });

  test("one region: the secrets reference the terraform_data too", () => {
    const synth = Testing.synth(defaultStack(NO_EDGE));
    for (const name of GENERATED) {
      const secrets = secretsNamed(synth, name);
      expect(secrets).toHaveLength(1);
      const [, data] = referencedData(synth, secrets[0].value);
      expect(data.lifecycle).toEqual({ ignore_changes: ["input"] });
    }
  });

  test("the keys are in no Terraform output", () => {
    const synth = Testing.synth(defaultStack(TWO));
    const outputs = (JSON.parse(synth) as { output?: Record<string, R> }).output ?? {};
    expect(JSON.stringify(outputs)).not.toContain("terraform_data");
  });
});
