/**
 * The agent process: `gatehouse-runtime agent` in the image (`node dist/runtime/agent/server.js`
 * locally). Prints exactly one line `gatehouse agent listening at http://<host>:<port>` when ready.
 */
import fs from "node:fs";
import type { JWK } from "jose";
import { loadAgentConfig, parseGatewayJwks, type AgentEnv } from "../core/config/agent-config";
import { openPolicy } from "../core/config/load-policy";
import { warnIfNotLoopback } from "../core/config/bind-warning";
import { listenAndAnnounce, runService, stopOnSignals } from "../core/service-process";
import { logger } from "../core/telemetry/logger";
import { gatehouseMetrics } from "../core/telemetry/metrics";
import { startTelemetry } from "../core/telemetry/telemetry";
import { createAgentApp } from "./agent-app";
import {
  CachedCredentialProvider,
  DevEnvCredentialProvider,
  KeyVaultCredentialProvider,
  type CredentialProvider,
} from "./credential-provider";
import { GatewayTokenVerifier } from "./gateway-token-verifier";
import { stdioCommandsCheck } from "./stdio-commands";
import {
  KeyVaultGatewayKeys,
  StaticGatewayKeys,
  anyOf,
  keyVaultVersionReader,
  type TrustedGatewayKeys,
} from "./trusted-gateway-keys";
import { azureCredential } from "../core/azure-credential";

/** The gateway keys this agent trusts: fixed ones from the environment, and/or every enabled Key Vault version. */
async function trustedGatewayKeys(env: AgentEnv): Promise<TrustedGatewayKeys> {
  const sources: TrustedGatewayKeys[] = [];
  const text =
    env.GATEHOUSE_GATEWAY_PUBLIC_JWK ??
    (env.GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE ? fs.readFileSync(env.GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE, "utf8") : null);
  if (text !== null) {
    const variable = env.GATEHOUSE_GATEWAY_PUBLIC_JWK
      ? "GATEHOUSE_GATEWAY_PUBLIC_JWK"
      : "GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE";
    sources.push(new StaticGatewayKeys(parseGatewayJwks(text, variable) as unknown as JWK[]));
  }
  if (env.GATEHOUSE_GATEWAY_SIGNING_KEY_ID) {
    const credential = azureCredential(env.AZURE_CLIENT_ID);
    const versions = new KeyVaultGatewayKeys(keyVaultVersionReader(env.GATEHOUSE_GATEWAY_SIGNING_KEY_ID, credential));
    if (sources.length === 0)
      await versions.load(); // the only trust anchor: no start without it
    else {
      // The fixed key still verifies the current gateways; the versions are read again on the first unknown kid.
      await versions.load().catch((e: unknown) => {
        gatehouseMetrics.signingFailure({ purpose: "agent-trusted-keys-refresh" });
        logger.error(
          "reading the gateway's key versions from Key Vault failed at start; trusting GATEHOUSE_GATEWAY_PUBLIC_JWK until a read succeeds",
          { event: "agent.trusted_keys_refresh_failed", error: e instanceof Error ? e.name : "error" },
        );
      });
    }
    sources.push(versions);
  }
  return anyOf(...sources);
}

async function main(): Promise<void> {
  const env = loadAgentConfig();
  const telemetry = startTelemetry({
    connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING,
    serviceName: "gatehouse-agent",
    managedIdentityClientId: env.AZURE_CLIENT_ID,
  });
  warnIfNotLoopback("agent", env.GATEHOUSE_HOST);
  const trusted = await trustedGatewayKeys(env);
  const policy = await openPolicy(env, "agent");
  // Every stdio command of this agent's servers must be in the image: checked now and on each reload.
  policy.addCheck(stdioCommandsCheck(env.GATEHOUSE_AGENT_NAME));
  let provider: CredentialProvider;
  if (env.GATEHOUSE_CREDENTIAL_PROVIDER === "dev-env") {
    const line =
      "WARNING: GATEHOUSE_CREDENTIAL_PROVIDER=dev-env: upstream credentials come from GATEHOUSE_DEV_SECRET_* environment variables. Local stack only; never in Azure.";
    process.stderr.write(`${line}\n`);
    logger.warn(line, { event: "agent.dev_credentials" });
    provider = new DevEnvCredentialProvider();
  } else {
    provider = new KeyVaultCredentialProvider(env.GATEHOUSE_KEYVAULT_URL!);
  }
  const { app, close } = createAgentApp({
    bundle: () => policy.bundle,
    agentName: env.GATEHOUSE_AGENT_NAME,
    verifier: new GatewayTokenVerifier(trusted),
    credentials: new CachedCredentialProvider(provider, env.GATEHOUSE_CREDENTIAL_CACHE_SECONDS * 1000),
    stdioLimits: {
      maxPerIdentity: env.GATEHOUSE_STDIO_SESSIONS_PER_IDENTITY,
      maxTotal: env.GATEHOUSE_STDIO_SESSIONS_MAX,
      maxIdleMs: env.GATEHOUSE_STDIO_IDLE_SECONDS * 1000,
    },
  });
  const server = await listenAndAnnounce(app, "agent", env.GATEHOUSE_HOST, env.GATEHOUSE_PORT);
  stopOnSignals(server, async () => {
    policy.stop();
    await close();
    await telemetry.shutdown();
  });
}

runService("agent", main);
