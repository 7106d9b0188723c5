/**
 * The policy bundle read from a Key Vault secret (Azure's delivery, written through ARM): the
 * secret's version id stands in for an ETag. Driven through LivePolicy, the interface the gateway
 * and agent use, with an injected SecretClient (the real client against a Key Vault stand-in is
 * exercised by test/contract/synth-to-runtime.test.ts).
 */
import { LivePolicy } from "../../../runtime/core/policy/live-policy";
import {
  keyVaultSecretPolicySource,
  parseSecretUrl,
  type SecretReadClient,
} from "../../../runtime/core/config/key-vault-policy-source";
import { GatewayEnvSchema } from "../../../runtime/core/config/gateway-config";
import { AgentEnvSchema } from "../../../runtime/core/config/agent-config";
import { parseEnv } from "../../../runtime/core/config/parse-env";
import { fixtureBundle } from "../policy/bundle-fixture";

/** A vault holding one secret; each put is a new version, as an ARM PUT of a changed value is. */
function fakeVault(first: string) {
  const versions = [first];
  const state = { reads: 0, failing: false };
  const client: SecretReadClient = {
    async getSecret(name) {
      state.reads++;
      if (state.failing) throw Object.assign(new Error("vault unreachable"), { code: "ECONNREFUSED" });
      expect(name).toBe("policy-bundle");
      return { value: versions[versions.length - 1], properties: { version: `v${versions.length}` } };
    },
  };
  return { client, state, put: (text: string) => versions.push(text) };
}

const open = (client: SecretReadClient) =>
  LivePolicy.open({
    source: keyVaultSecretPolicySource(client, "https://kv.vault.azure.net", "policy-bundle"),
    pollSeconds: 0,
    service: "gateway",
  });

describe("policy bundle from a Key Vault secret", () => {
  const first = fixtureBundle();
  const second = fixtureBundle({ guardrails: [] });

  test("the latest version is loaded at start; a poll that finds the same version changes nothing", async () => {
    const vault = fakeVault(JSON.stringify(first));
    const live = await open(vault.client);
    expect(live.version).toBe(first.version);
    await live.poll();
    expect(live.version).toBe(first.version);
    expect([live.refusedCount, live.readFailureCount]).toEqual([0, 0]);
  });

  test("a new secret version with a valid bundle is put in force at the next poll", async () => {
    const vault = fakeVault(JSON.stringify(first));
    const live = await open(vault.client);
    expect(second.version).not.toBe(first.version);
    vault.put(JSON.stringify(second));
    await live.poll();
    expect(live.version).toBe(second.version);
  });

  test("a new version that is not a valid sealed bundle is refused once; the bundle in force stays", async () => {
    const vault = fakeVault(JSON.stringify(first));
    const live = await open(vault.client);
    vault.put(JSON.stringify({ ...second, version: first.version.replace(/.$/, (c) => (c === "0" ? "1" : "0")) }));
    await live.poll();
    await live.poll();
    expect(live.version).toBe(first.version);
    expect(live.refusedCount).toBe(1);
  });

  test("an unreachable vault keeps the bundle in force and is counted; at start it refuses to start (ERR_POLICY_INVALID)", async () => {
    const vault = fakeVault(JSON.stringify(first));
    const live = await open(vault.client);
    vault.state.failing = true;
    await live.poll();
    expect(live.version).toBe(first.version);
    expect(live.readFailureCount).toBe(1);
    await expect(open(vault.client)).rejects.toMatchObject({ code: "ERR_POLICY_INVALID" });
  });
});

describe("GATEHOUSE_POLICY_SECRET_URL", () => {
  test("a versionless https secret URL is accepted; anything else is not a policy secret", () => {
    expect(parseSecretUrl("https://kv.vault.azure.net/secrets/policy-bundle")).toEqual({
      vaultUrl: "https://kv.vault.azure.net",
      name: "policy-bundle",
    });
    expect(parseSecretUrl("https://kv.vault.azure.net/secrets/policy-bundle/0123abcd")).toBeNull();
    expect(parseSecretUrl("http://kv.vault.azure.net/secrets/policy-bundle")).toBeNull();
    expect(parseSecretUrl("https://kv.vault.azure.net/keys/policy-bundle")).toBeNull();
  });

  test.each([
    [
      "gateway",
      GatewayEnvSchema,
      {
        GATEHOUSE_AGENT_URL: "http://127.0.0.1:8081",
        GATEHOUSE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
        GATEHOUSE_SIGNING_KEY_FILE: "k.json",
        GATEHOUSE_IDENTITY_METADATA: "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
        GATEHOUSE_AUDIENCE: "api://gatehouse",
      },
    ],
    [
      "agent",
      AgentEnvSchema,
      { GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE: "k.json", GATEHOUSE_CREDENTIAL_PROVIDER: "dev-env" },
    ],
  ] as const)(
    "the %s takes it as its one policy source, and refuses it together with another",
    (_role, schema, base) => {
      const url = "https://kv.vault.azure.net/secrets/policy-bundle";
      expect(parseEnv(schema, { ...base, GATEHOUSE_POLICY_SECRET_URL: url }).GATEHOUSE_POLICY_SECRET_URL).toBe(url);
      const problems = (env: Record<string, string>) => {
        try {
          parseEnv(schema, env);
        } catch (e) {
          expect(e).toMatchObject({ code: "ERR_CONFIG_INVALID" });
          return (e as { details: { problems: string[] } }).details.problems.map((p) => p.split(":")[0]);
        }
        return [];
      };
      expect(problems({ ...base, GATEHOUSE_POLICY_SECRET_URL: url, GATEHOUSE_POLICY_FILE: "bundle.json" })).toEqual([
        "GATEHOUSE_POLICY_BLOB_URL",
      ]);
      expect(problems({ ...base })).toEqual(["GATEHOUSE_POLICY_FILE"]);
    },
  );
});
