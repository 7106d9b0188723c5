/**
 * The gateway process: `gatehouse-runtime gateway` in the image (`node dist/runtime/gateway/server.js` locally). Reads GATEHOUSE_* (docs/gateway.md),
 * composes the gateway (compose-gateway.ts: policy, signer, audit sink, approvals, the identity
 * provider's keys), then prints exactly one line `gatehouse gateway listening at http://<host>:<port>`
 * (the dev stack and tests wait for it).
 */
import os from "node:os";
import { loadGatewayConfig } from "../core/config/gateway-config";
import { warnIfNotLoopback } from "../core/config/bind-warning";
import { runService, stopOnSignals } from "../core/service-process";
import { logger } from "../core/telemetry/logger";
import { startTelemetry } from "../core/telemetry/telemetry";
import { composeGateway } from "./compose-gateway";

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const telemetry = startTelemetry({
    connectionString: config.env.APPLICATIONINSIGHTS_CONNECTION_STRING,
    serviceName: "gatehouse-gateway",
    managedIdentityClientId: config.env.AZURE_CLIENT_ID,
  });
  warnIfNotLoopback("gateway", config.host);
  const gateway = await composeGateway(config);
  const { policy, audit } = gateway.deps;
  const lifecycle = (kind: "gateway.started" | "gateway.stopped") =>
    audit.write({
      kind,
      policyVersion: policy.bundle.version,
      policyCommit: policy.bundle.commit,
      actor: { oid: null, tenantId: null, username: null },
      decision: { outcome: "info" },
      details: { publicUrl: gateway.url, host: os.hostname() },
    });
  await lifecycle("gateway.started");
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  process.stdout.write(`gatehouse gateway listening at http://${shownHost}:${gateway.port}\n`);
  stopOnSignals(gateway.server, async () => {
    await gateway.stop(() =>
      lifecycle("gateway.stopped").then(
        () => undefined,
        (e: unknown) =>
          // Stopping anyway; the missing record is visible (the chain ends without it) and logged here.
          void logger.error("gateway.stopped record not written", {
            event: "gateway.audit_record_lost",
            kind: "gateway.stopped",
            code: (e as { code?: string }).code ?? "unknown",
          }),
      ),
    );
    await telemetry.shutdown();
  });
}

runService("gateway", main);
