/**
 * The agent process: `node dist/runtime/agent/server.js`. Prints exactly one line
 * `gatehouse agent listening at http://<host>:<port>` when ready.
 */
import fs from "node:fs";
import type { JWK } from "jose";
import { loadAgentConfig, parseGatewayJwk } from "../core/config/agent-config";
import { openPolicy } from "../core/config/load-policy";
import { warnIfNotLoopback } from "../core/config/bind-warning";
import { listenAndAnnounce, runService, stopOnSignals } from "../core/service-process";
import { logger } from "../core/telemetry/logger";
import { startTelemetry } from "../core/telemetry/telemetry";
import { createAgentApp } from "./agent-app";
import { CachedCredentialProvider, DevEnvCredentialProvider, KeyVaultCredentialProvider, type CredentialProvider } from "./credential-provider";
import { GatewayTokenVerifier } from "./gateway-token-verifier";

async function main(): Promise<void> {
  const env = loadAgentConfig();
  const telemetry = startTelemetry({ connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING, serviceName: "gatehouse-agent" });
  warnIfNotLoopback("agent", env.GATEHOUSE_HOST);
  const jwkText = env.GATEHOUSE_GATEWAY_PUBLIC_JWK ?? fs.readFileSync(env.GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE!, "utf8");
  const jwk = parseGatewayJwk(jwkText, env.GATEHOUSE_GATEWAY_PUBLIC_JWK ? "GATEHOUSE_GATEWAY_PUBLIC_JWK" : "GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE") as unknown as JWK;
  const policy = await openPolicy(env, "agent");
  let provider: CredentialProvider;
  if (env.GATEHOUSE_CREDENTIAL_PROVIDER === "dev-env") {
    const line = "WARNING: GATEHOUSE_CREDENTIAL_PROVIDER=dev-env: upstream credentials come from GATEHOUSE_DEV_SECRET_* environment variables. Local stack only; never in Azure.";
    process.stderr.write(`${line}\n`);
    logger.warn(line, { event: "agent.dev_credentials" });
    provider = new DevEnvCredentialProvider();
  } else {
    provider = new KeyVaultCredentialProvider(env.GATEHOUSE_KEYVAULT_URL!);
  }
  const { app, close } = createAgentApp({
    bundle: () => policy.bundle,
    agentName: env.GATEHOUSE_AGENT_NAME,
    verifier: new GatewayTokenVerifier(jwk),
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
