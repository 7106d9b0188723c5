/**
 * compose.yaml's one-shot `setup` service: writes into the state volume ($GATEHOUSE_HOME) what
 * `npm run dev` makes in .gatehouse/ — the sealed demo policy bundle pointed at the Compose
 * services, the gateway's signing key and its public JWK for the agent, the masking hash key, the
 * demo files, the TLS certificate of the issuer and the customers server — and local-stack.json,
 * so the CLI and the walkthrough client run with `docker compose exec issuer ...` as they do
 * beside `npm run dev`.
 *
 * Keys are kept when they exist (a restart keeps tokens, sessions and the audit trail valid); the
 * bundle is rewritten every time, so a changed policy takes effect on the next `up`.
 *
 * Usage (inside the `dev` image): node dist/dev/compose/setup.js, configured by the variables of
 * ComposeSetupEnvSchema (compose.yaml sets them all).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LocalSigner } from "../../runtime/core/signing/local-signer";
import { parseEnv } from "../../runtime/core/config/parse-env";
import { writeLocalStack, type LocalStack } from "../../runtime/core/local-stack-file";
import { devBundle } from "../stack/dev-bundle";
import { ensureDemoFiles } from "../stack/demo-files";
import { ensureDevTls } from "./dev-tls";

const url = z.string().url();

export const ComposeSetupEnvSchema = z.object({
  /** The state volume. */
  GATEHOUSE_HOME: z.string().min(1),
  /** The demo customers server as the agent reaches it (https://customers:8091/mcp). */
  GATEHOUSE_DEMO_CUSTOMERS_URL: url,
  /** The gateway as the browser and MCP clients on the host reach it (its GATEHOUSE_PUBLIC_URL). */
  GATEHOUSE_COMPOSE_PUBLIC_URL: url,
  /** The gateway as a container on the Compose network reaches it (the CLI, the walkthrough client). */
  GATEHOUSE_COMPOSE_GATEWAY_URL: url,
  GATEHOUSE_COMPOSE_AGENT_URL: url,
  /** The issuer's URL: the `iss` of its tokens, its published port, and its loopback inside its own container. */
  GATEHOUSE_COMPOSE_ISSUER_URL: url,
  /** The names the TLS services are reached by (issuer,customers): the certificate's subject names. */
  GATEHOUSE_COMPOSE_TLS_NAMES: z.string().transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  ),
  GATEHOUSE_STORAGE_CONNECTION_STRING: z.string().min(1),
});
export type ComposeSetupEnv = z.infer<typeof ComposeSetupEnvSchema>;

/** The files the gateway, the agent and the issuer are configured with (compose.yaml names the same paths). */
export const STATE_FILES = {
  policyBundle: "policy-bundle.json",
  signingKey: "signing-key.json",
  gatewayPublicJwk: "gateway-public.jwk.json",
  maskingHashKey: "masking-hash-key",
  tlsDir: "tls",
  demoFiles: "demo-files",
} as const;

function ensureSecretFile(file: string): void {
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
}

function endpointOf(connectionString: string, name: "BlobEndpoint" | "TableEndpoint"): string {
  const m = new RegExp(`(?:^|;)${name}=([^;]+)`).exec(connectionString);
  if (!m) throw new TypeError(`GATEHOUSE_STORAGE_CONNECTION_STRING names no ${name}`);
  return m[1];
}

/** Writes the state; returns what local-stack.json records. */
export async function prepareComposeState(env: ComposeSetupEnv): Promise<LocalStack> {
  const home = path.resolve(env.GATEHOUSE_HOME);
  const file = (name: string) => path.join(home, name);
  fs.mkdirSync(home, { recursive: true });

  const demoFilesDir = ensureDemoFiles(file(STATE_FILES.demoFiles));
  const bundle = devBundle({ customersUrl: env.GATEHOUSE_DEMO_CUSTOMERS_URL, demoFilesDir });
  // Write then rename: the gateway and agent poll this file and must never read half of it.
  fs.writeFileSync(`${file(STATE_FILES.policyBundle)}.tmp`, JSON.stringify(bundle, null, 2) + "\n");
  fs.renameSync(`${file(STATE_FILES.policyBundle)}.tmp`, file(STATE_FILES.policyBundle));

  const signer = await LocalSigner.create(file(STATE_FILES.signingKey));
  const publicJwk = await signer.publicJwk();
  fs.writeFileSync(file(STATE_FILES.gatewayPublicJwk), JSON.stringify(publicJwk) + "\n");
  ensureSecretFile(file(STATE_FILES.maskingHashKey));
  ensureDevTls(file(STATE_FILES.tlsDir), env.GATEHOUSE_COMPOSE_TLS_NAMES);

  const gatewayUrl = env.GATEHOUSE_COMPOSE_GATEWAY_URL.replace(/\/+$/, "");
  const stack: LocalStack = {
    schemaVersion: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    home,
    gatewayUrl,
    agentUrl: env.GATEHOUSE_COMPOSE_AGENT_URL.replace(/\/+$/, ""),
    issuerUrl: env.GATEHOUSE_COMPOSE_ISSUER_URL.replace(/\/+$/, ""),
    approvalsUrl: `${env.GATEHOUSE_COMPOSE_PUBLIC_URL.replace(/\/+$/, "")}/approvals`,
    customersUrl: env.GATEHOUSE_DEMO_CUSTOMERS_URL,
    mcpUrls: Object.fromEntries(bundle.servers.map((s) => [s.name, `${gatewayUrl}/mcp/${s.name}`])),
    storageConnectionString: env.GATEHOUSE_STORAGE_CONNECTION_STRING,
    blobEndpoint: endpointOf(env.GATEHOUSE_STORAGE_CONNECTION_STRING, "BlobEndpoint"),
    tableEndpoint: endpointOf(env.GATEHOUSE_STORAGE_CONNECTION_STRING, "TableEndpoint"),
    signingPublicJwk: { ...publicJwk },
    policyBundleFile: file(STATE_FILES.policyBundle),
    policyVersion: bundle.version,
    demoFilesDir,
  };
  writeLocalStack(stack, home);
  return stack;
}

async function main(): Promise<void> {
  const stack = await prepareComposeState(parseEnv(ComposeSetupEnvSchema, process.env));
  process.stdout.write(
    `gatehouse compose setup: policy ${stack.policyVersion} and keys in ${stack.home}\n` +
      `  approvals page: ${stack.approvalsUrl}\n` +
      '  walkthrough: docker compose exec issuer gatehouse token alice   (README, "With Docker Compose")\n',
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`gatehouse compose setup failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
