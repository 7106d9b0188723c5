/**
 * Synth-to-runtime contract (issue 13): the Container Apps exactly as `npm run synth` writes them —
 * arguments, environment, secret references, probe paths and ports, ingress target port, identity
 * client ids — run with the built runtime (dist/) against local stand-ins:
 *   storage endpoints   Azurite over HTTPS with OAuth (the apps use their managed identity, as in Azure)
 *   managed identities  an IDENTITY_ENDPOINT/IDENTITY_HEADER stand-in (what Container Apps provides)
 *   Entra ID            the local OIDC issuer (the stack synthesized with its tenant and audience)
 *   Key Vault           an HTTPS stand-in under a *.vault.azure.net name (resolved to loopback, as the
 *                       private DNS zone does): each ARM secret (azapi) with its synthesized value
 *                       (generated values of the same shape where Azure makes them at apply time), and
 *                       the signing key's versions, which the agent reads with its identity
 *   ingress             the app's URL → 127.0.0.1:<free port>; the port the container listens on → that port
 * Substituted because no stand-in exists, and nothing more:
 *   - Key Vault signing: the gateway gets GATEHOUSE_SIGNING_KEY_FILE (a local key behind the same
 *     Signer interface); the stand-in vault serves that key's public half as the signing key's one
 *     version, which is all the agent trusts (GATEHOUSE_GATEWAY_SIGNING_KEY_ID, as synthesized).
 *   - GATEHOUSE_HOST 0.0.0.0 → 127.0.0.1 (tests listen on loopback); the wildcard start rule is
 *     checked on the synthesized values instead.
 * Both apps must report ready on their probe paths, and an authenticated MCP call must pass
 * gateway → agent → upstream. Needs `npm run build` (npm test builds first).
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { launch, type LaunchedProcess } from "../../dev/process-launcher";
import { AZURITE_ACCOUNT, AZURITE_KEY } from "../../dev/azurite-launcher";
import { DEMO, startLocalIssuer, type LocalIssuer } from "../../dev/local-issuer-launcher";
import { freePort } from "../../dev/stack/port-probe";
import { repoRoot } from "../../runtime/core/repo-root";
import { LocalSigner } from "../../runtime/core/signing/local-signer";
import { GatewayEnvSchema } from "../../runtime/core/config/gateway-config";
import { AgentEnvSchema } from "../../runtime/core/config/agent-config";
import { parseEnv } from "../../runtime/core/config/parse-env";
import { requirePublicUrlOnWildcard } from "../../runtime/gateway/public-url-required";
import { closeServers } from "../support/loopback-server";
import {
  armResources,
  containerApps,
  keyVaultSecretValue,
  reference,
  resolveValue,
  type SynthesizedApp,
} from "./support/synthesized-apps";
import { startManagedIdentityStandIn, type ManagedIdentityStandIn } from "./support/managed-identity-stand-in";
import { loopbackCertificate } from "./support/loopback-tls";
import { startKeyVaultStandIn, STAND_IN_VAULT_HOST, type KeyVaultStandIn } from "./support/key-vault-stand-in";

const root = repoRoot();
const dist = path.join(root, "dist");
const STAND_IN_DOMAIN = "env.gatehouse.test";
/** Front Door (GATEHOUSE_EDGE=frontdoor, the default): its endpoint host and the id it sends in X-Azure-FDID. */
const STAND_IN_EDGE_HOST = "edge.gatehouse.test";
const STAND_IN_FRONT_DOOR_ID = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
type Json = Record<string, any>;

let home: string;
let synth: Json;
let apps: Record<string, SynthesizedApp>;
const children: LaunchedProcess[] = [];
let issuer: LocalIssuer;
let identity: ManagedIdentityStandIn;
let vault: KeyVaultStandIn;
const vaultContents: { keys: Record<string, import("jose").JWK[]>; secrets: Record<string, string> } = {
  keys: {},
  secrets: {},
};
let closedPort: number;
let closedServer: net.Server;
const local: Record<string, { port: number; url: string; env: Record<string, string> }> = {};
const clientIds: Record<string, string> = {};

/** A port where nothing answers (Key Vault, Application Insights ingestion: no stand-in). */
async function refusingPort(): Promise<void> {
  closedServer = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => closedServer.listen(0, "127.0.0.1", r));
  closedPort = (closedServer.address() as net.AddressInfo).port;
}

function resourceAttr(type: string, name: string): Json {
  const r = synth.resource?.[type]?.[name];
  if (!r) throw new Error(`cdk.tf.json has no ${type}.${name}`);
  return r;
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "gh-contract-"));
  await refusingPort();

  // The upstream MCP server the declared policies name (customers), on loopback.
  const customers = await launch({
    name: "customers",
    command: process.execPath,
    args: [path.join(dist, "dev", "customers-server.js")],
    env: { ...process.env, GATEHOUSE_DEMO_CUSTOMERS_PORT: "0" },
    ready: /customers server listening at (http:\/\/\S+)/,
  });
  children.push(customers);

  // Synthesize as a deployer configured for this tenant and audience (the local issuer's).
  const outdir = path.join(home, "cdktf.out");
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GATEHOUSE_")));
  const app = spawnSync(process.execPath, [path.join(dist, "main.js")], {
    env: {
      ...clean,
      CDKTF_OUTDIR: outdir,
      GATEHOUSE_TENANT_ID: DEMO.tenantId,
      GATEHOUSE_AUDIENCE: DEMO.audience,
      GATEHOUSE_DEMO_CUSTOMERS_URL: customers.match[1],
      GATEHOUSE_POLICY_COMMIT: "0123456789abcdef0123456789abcdef01234567",
    },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (app.status !== 0) throw new Error(`synth failed:\n${app.stderr}`);
  synth = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "gatehouse", "cdk.tf.json"), "utf8")) as Json;
  apps = Object.fromEntries(containerApps(synth).map((a) => [a.role, a]));

  // Azurite over HTTPS with OAuth, so the apps reach storage with their managed identity as in Azure.
  const { cert, key } = loopbackCertificate(home, [STAND_IN_VAULT_HOST]);
  const azuriteBin = path.join(path.dirname(require.resolve("azurite/package.json")), "dist", "src", "azurite.js");
  const azurite = await launch({
    name: "azurite",
    command: process.execPath,
    args: [
      azuriteBin,
      "--location",
      path.join(home, "azurite"),
      "--blobHost",
      "127.0.0.1",
      "--queueHost",
      "127.0.0.1",
      "--tableHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--queuePort",
      "0",
      "--tablePort",
      "0",
      "--disableTelemetry",
      "--skipApiVersionCheck",
      "--oauth",
      "basic",
      "--cert",
      cert,
      "--key",
      key,
    ],
    ready: /Table service is successfully listening at (https:\/\/\S+)/,
  });
  children.push(azurite);
  const blobBase = `${/Blob service is successfully listening at (https:\/\/\S+)/.exec(azurite.output())![1].replace(/\/+$/, "")}/${AZURITE_ACCOUNT}`;
  const tableBase = `${azurite.match[1].replace(/\/+$/, "")}/${AZURITE_ACCOUNT}`;
  const tlsEnv = { NODE_EXTRA_CA_CERTS: cert };

  // What Terraform creates in the audit account: containers and tables (the stack writes no blob:
  // GH_DEPLOY_1; the policy bundle is a Key Vault secret, served by the vault stand-in below).
  const seed = {
    connectionString: `DefaultEndpointsProtocol=https;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobBase};TableEndpoint=${tableBase};`,
    containers: Object.values((synth.resource.azurerm_storage_container ?? {}) as Record<string, Json>).map(
      (c) => c.name as string,
    ),
    // Tables are created through ARM (Microsoft.Storage/storageAccounts/tableServices/tables).
    tables: armResources(synth, "Microsoft.Storage/storageAccounts/tableServices/tables").map((t) => t.name as string),
    blobs: [],
  };
  const seeded = spawnSync(
    process.execPath,
    [path.join(__dirname, "support", "seed-storage.js"), JSON.stringify(seed)],
    { env: { ...process.env, ...tlsEnv }, encoding: "utf8", timeout: 60_000 },
  );
  if (seeded.status !== 0) throw new Error(`seeding Azurite failed:\n${seeded.stderr}`);

  identity = await startManagedIdentityStandIn(DEMO.tenantId);
  issuer = await startLocalIssuer();
  const signingKeyFile = path.join(home, "signing-key.json");
  const signingJwk = await (await LocalSigner.create(signingKeyFile)).publicJwk();
  vault = await startKeyVaultStandIn({ cert, key }, DEMO.tenantId, vaultContents);
  // The signing key the stack creates (ARM): its one version is the gateway's local key here.
  const [signingKey] = armResources(synth, "Microsoft.KeyVault/vaults/keys");
  vaultContents.keys[signingKey.name as string] = [signingJwk];
  for (const role of ["agent", "gateway"]) {
    const port = await freePort();
    local[role] = { port, url: `http://127.0.0.1:${port}`, env: {} };
  }

  const generatedKeys: Record<string, string> = {};
  /** What each Terraform expression stands for here. */
  const resolve = (expr: string): string | null => {
    const ref = reference(expr);
    if (ref?.type === "azurerm_storage_account" && ref.attr === "primary_blob_endpoint") return `${blobBase}/`;
    if (ref?.type === "azurerm_storage_account" && ref.attr === "primary_table_endpoint") return `${tableBase}/`;
    if (ref?.type === "azurerm_key_vault" && ref.attr === "vault_uri") return vault.url;
    if (ref?.type === "azurerm_user_assigned_identity" && ref.attr === "client_id")
      return (clientIds[ref.name] ??= randomUUID());
    if (ref?.type === "azurerm_container_app_environment" && ref.attr === "default_domain") return STAND_IN_DOMAIN;
    if (ref?.type === "azurerm_cdn_frontdoor_endpoint" && ref.attr === "host_name") return STAND_IN_EDGE_HOST;
    if (ref?.type === "azurerm_cdn_frontdoor_profile" && ref.attr === "resource_guid") return STAND_IN_FRONT_DOOR_ID;
    if (ref?.type === "azurerm_application_insights" && ref.attr === "connection_string")
      return `InstrumentationKey=${randomUUID()};IngestionEndpoint=https://127.0.0.1:${closedPort}/`;
    if (expr === '${base64sha256(join("", [uuid(), uuid()]))}') return randomBytes(32).toString("base64");
    // A key generated once per deployment (stacks/deployment-keys.ts): its terraform_data's input
    // must be that generator; one value per resource, as Terraform keeps it.
    const generated = /^\$\{terraform_data\.([A-Za-z0-9_-]+)\.output\["value"\]\}$/.exec(expr);
    if (generated) {
      const input = (resourceAttr("terraform_data", generated[1]).input as { value?: unknown }).value;
      if (input !== '${sensitive(base64sha256(join("", [uuid(), uuid()])))}') return null;
      return (generatedKeys[generated[1]] ??= randomBytes(32).toString("base64"));
    }
    // The gateway's trusted proxies: the subnet's CIDRs exactly as synthesized (the test client is on loopback, never trusted).
    const joined = /^\$\{join\(",", (azurerm_subnet)\.([A-Za-z0-9_-]+)\.address_prefixes\)\}$/.exec(expr);
    if (joined) return (resourceAttr(joined[1], joined[2]).address_prefixes as string[]).join(",");
    return null;
  };
  /** Ingress: an app's URL in the environment → its local URL. */
  const ingress = (value: string): string => {
    let v = value;
    for (const a of Object.values(apps))
      v = v.replace(`https://${a.name}.${a.external ? "" : "internal."}${STAND_IN_DOMAIN}`, local[a.role].url);
    // Front Door's endpoint stands for the gateway here (the test client plays Front Door: it sends the FDID).
    v = v
      .replace(`https://${STAND_IN_EDGE_HOST}`, local.gateway.url)
      .replace(STAND_IN_EDGE_HOST, `127.0.0.1:${local.gateway.port}`);
    return v.replace(
      /^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0\/\.well-known\/openid-configuration$/,
      `${issuer.url}/.well-known/openid-configuration`,
    );
  };
  for (const a of Object.values(apps)) {
    const env: Record<string, string> = {};
    for (const e of a.env) {
      if (e.secretName !== undefined) {
        const secretId = a.secrets[e.secretName];
        if (secretId === undefined) throw new Error(`${e.name}: secret ${e.secretName} is not declared by the app`);
        env[e.name] = resolveValue(e.name, keyVaultSecretValue(synth, secretId), resolve);
      } else env[e.name] = ingress(resolveValue(e.name, e.value ?? "", resolve));
    }
    local[a.role].env = env;
  }
  // What each ARM secret holds once applied (the vault serves them to the apps).
  for (const secret of armResources(synth, "Microsoft.KeyVault/vaults/secrets")) {
    vaultContents.secrets[secret.name as string] = resolveValue(
      secret.name as string,
      secret.sensitive_body.properties.value as string,
      resolve,
    );
  }
}, 240_000);

afterAll(async () => {
  for (const c of [...children].reverse()) await c.stop();
  await closeServers(...[identity?.server, vault?.server].filter((s) => s !== undefined));
  await issuer?.stop();
  await new Promise((r) => closedServer?.close(r));
  fs.rmSync(home, { recursive: true, force: true });
});

describe("synthesized Container Apps run as synthesized", () => {
  test("one gateway (external ingress) and one agent (internal), each told its role; probes and ingress target the port the app listens on", () => {
    expect(Object.keys(apps).sort()).toEqual(["agent", "gateway"]);
    expect(apps.gateway.external).toBe(true);
    expect(apps.agent.external).toBe(false);
    for (const a of Object.values(apps)) {
      expect(a.command).toBeNull(); // the image's entrypoint: gatehouse-runtime
      expect(a.args).toEqual([a.role]);
      const port = Number(a.env.find((e) => e.name === "GATEHOUSE_PORT")?.value);
      expect(a.targetPort).toBe(port);
      expect(a.probes.map((p) => [p.kind, p.path, p.port])).toEqual([
        ["liveness", "/healthz", port],
        ["readiness", "/readyz", port],
      ]);
    }
  });

  test("the synthesized settings pass each process's env schema and start checks (with the synthesized host)", () => {
    expect(() => parseEnv(GatewayEnvSchema, local.gateway.env)).not.toThrow();
    expect(() => requirePublicUrlOnWildcard(parseEnv(GatewayEnvSchema, local.gateway.env))).not.toThrow();
    expect(() => parseEnv(AgentEnvSchema, local.agent.env)).not.toThrow();
    expect(local.gateway.env.GATEHOUSE_HOST).toBe("0.0.0.0");
  });

  test("both apps start with those settings, report ready on their probe paths, and an authenticated MCP call passes gateway → agent → upstream", async () => {
    const base = {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      NODE_EXTRA_CA_CERTS: path.join(home, "loopback-cert.pem"),
      ...identity.env,
    };
    const start = async (role: "agent" | "gateway", extra: Record<string, string>) => {
      const a = apps[role];
      const proc = await launch({
        name: role,
        command: process.execPath,
        args: [
          "--require",
          path.join(__dirname, "support", "private-dns-preload.js"),
          path.join(dist, "runtime", "entrypoint.js"),
          ...a.args,
        ],
        cwd: root,
        env: {
          ...base,
          ...local[role].env,
          GATEHOUSE_HOST: "127.0.0.1",
          GATEHOUSE_PORT: String(local[role].port),
          ...extra,
        },
        ready: new RegExp(`gatehouse ${role} listening at`),
        timeoutMs: 90_000,
      });
      children.push(proc);
      for (const p of a.probes) {
        const res = await fetch(`http://127.0.0.1:${local[role].port}${p.path}`);
        expect([role, p.path, res.status]).toEqual([role, p.path, 200]);
      }
      return proc;
    };
    await start("agent", {});
    const gateway = await start("gateway", { GATEHOUSE_SIGNING_KEY_FILE: path.join(home, "signing-key.json") });

    // Each app read the policy bundle from Key Vault (the secret the deploy wrote through ARM) with
    // its own identity, AZURE_CLIENT_ID as synthesized; the gateway reached storage (audit trail, tables) with its own.
    for (const role of ["agent", "gateway"]) {
      const bundlePath = new URL(local[role].env.GATEHOUSE_POLICY_SECRET_URL).pathname;
      expect(vault.reads).toContainEqual({ path: bundlePath, clientId: local[role].env.AZURE_CLIENT_ID });
    }
    expect(identity.requests).toContainEqual({
      clientId: local.gateway.env.AZURE_CLIENT_ID,
      resource: expect.stringContaining("storage.azure.com"),
    });
    expect(local.agent.env.AZURE_CLIENT_ID).not.toBe(local.gateway.env.AZURE_CLIENT_ID);
    // The agent trusts the gateway's key only as read from Key Vault (no fixed JWK is synthesized),
    // with its own identity: the versions, then each version's public half.
    expect(local.agent.env.GATEHOUSE_GATEWAY_PUBLIC_JWK).toBeUndefined();
    const keyName = new URL(local.agent.env.GATEHOUSE_GATEWAY_SIGNING_KEY_ID).pathname;
    expect(vault.reads).toContainEqual({ path: `${keyName}/versions`, clientId: local.agent.env.AZURE_CLIENT_ID });
    expect(vault.reads).toContainEqual({ path: `${keyName}/v1`, clientId: local.agent.env.AZURE_CLIENT_ID });

    const token = await issuer.token("alice");
    // Behind the edge the synthesized gateway takes only Front Door's requests (its X-Azure-FDID).
    expect(local.gateway.env.GATEHOUSE_FRONT_DOOR_ID).toBe(STAND_IN_FRONT_DOOR_ID);
    const bypass = await fetch(`${local.gateway.env.GATEHOUSE_PUBLIC_URL}/mcp/customers`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect([bypass.status, ((await bypass.json()) as { error: { data: { code: string } } }).error.data.code]).toEqual([
      403,
      "ERR_EDGE_REFUSED",
    ]);
    const transport = new StreamableHTTPClientTransport(
      new URL(`${local.gateway.env.GATEHOUSE_PUBLIC_URL}/mcp/customers`),
      {
        requestInit: { headers: { authorization: `Bearer ${token}`, "x-azure-fdid": STAND_IN_FRONT_DOOR_ID } },
      },
    );
    const client = new Client({ name: "contract-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const result = (await client.callTool({ name: "list_customers", arguments: {} })) as {
        content: { type: string; text: string }[];
      };
      const text = result.content.map((c) => c.text).join("\n");
      expect(text).toContain("c-1001"); // from the upstream
      expect(text).toContain("[REDACTED:"); // through the gateway's masking
    } finally {
      await client.close();
    }

    // Telemetry authenticates with the app's identity (Application Insights has local auth off):
    // stopping flushes the exporter, which asks for an Azure Monitor token as the gateway.
    await gateway.stop(10_000);
    expect(identity.requests).toContainEqual({
      clientId: local.gateway.env.AZURE_CLIENT_ID,
      resource: expect.stringContaining("monitor.azure.com"),
    });
  }, 180_000);
});
