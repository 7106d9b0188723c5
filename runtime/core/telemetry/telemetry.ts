/**
 * OpenTelemetry for the gateway and agent: Azure Monitor (Application Insights / Log Analytics)
 * when a connection string is configured; nothing at all otherwise — locally and in tests no
 * exporter is loaded and nothing tries to reach Azure.
 *
 * Call startTelemetry() FIRST in a process entry, before anything requires winston (the logger,
 * the audit sink): the winston instrumentation patches winston when it is required, and only
 * loggers created afterwards forward their lines (audit records, anchors, checkpoints) to Log
 * Analytics. If winston was loaded earlier, the OTel transport is added to our logger directly,
 * so the audit path works either way (only trace-id correlation of log lines is lost).
 */
import type { LogRecordProcessor } from "@opentelemetry/sdk-logs";
import { bindMetrics } from "./metrics";
import { installRejectionGuard } from "./rejection-guard";

export interface TelemetryOptions {
  /** Application Insights connection string; without one, telemetry is off (no exporter). */
  readonly connectionString?: string;
  /** service.name of every span, log and metric (cloud_RoleName in Application Insights). */
  readonly serviceName: string;
  /**
   * Client id of the user-assigned managed identity that authenticates ingestion (Entra auth).
   * Needed in Azure: the stack turns Application Insights local auth off, so an exporter with only
   * the connection string's instrumentation key is refused and nothing reaches the workbook or
   * the alerts (issue 13, item 6). The identity needs "Monitoring Metrics Publisher".
   * @default - no credential: the instrumentation key alone (Application Insights with local auth on)
   */
  readonly managedIdentityClientId?: string;
  /** @default false — Live Metrics keeps a connection to Azure open */
  readonly enableLiveMetrics?: boolean;
  /** Extra log processors (tests read what would be exported). */
  readonly logRecordProcessors?: LogRecordProcessor[];
}

export interface Telemetry {
  /** True when telemetry is exported to Azure Monitor. */
  readonly enabled: boolean;
  /** How ingestion authenticates: Entra (managed identity) or the instrumentation key alone. */
  readonly authentication: "entra" | "instrumentation-key" | "none";
  /** Flushes and stops the exporters (call at shutdown, after the audit sink is closed). */
  shutdown(): Promise<void>;
}

let started: Telemetry | null = null;

export function startTelemetry(opts: TelemetryOptions): Telemetry {
  if (started) return started;
  installRejectionGuard(opts.serviceName);
  if (!opts.connectionString) {
    bindMetrics(); // no-op instruments; in-process totals still count
    started = { enabled: false, authentication: "none", shutdown: async () => undefined };
    return started;
  }
  if (process.env.NODE_ENV === "test" || process.env.JEST_WORKER_ID) {
    // Statsbeat and SDK stats report to Microsoft-owned endpoints: never from a test.
    process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = "true";
    process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = "true";
  }
  process.env.OTEL_SERVICE_NAME ??= opts.serviceName;
  const winstonWasLoaded = isLoaded("winston");
  // Loaded lazily: without a connection string the Azure SDK is never even required.
  const monitor = require("@azure/monitor-opentelemetry") as typeof import("@azure/monitor-opentelemetry");
  monitor.useAzureMonitor({
    azureMonitorExporterOptions: {
      connectionString: opts.connectionString,
      credential: ingestionCredential(opts.managedIdentityClientId),
    },
    enableLiveMetrics: opts.enableLiveMetrics ?? false,
    // Audit lines are evidence: never drop a log because its trace was sampled out.
    enableTraceBasedSamplingForLogs: false,
    instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true }, winston: { enabled: true } },
    logRecordProcessors: opts.logRecordProcessors,
  });
  bindMetrics();
  if (winstonWasLoaded) attachTransportToLogger();
  started = {
    enabled: true,
    authentication: opts.managedIdentityClientId ? "entra" : "instrumentation-key",
    shutdown: async () => {
      await monitor.shutdownAzureMonitor();
    },
  };
  return started;
}

/**
 * The exporter's Entra credential. @azure/monitor-opentelemetry takes any TokenCredential in
 * `azureMonitorExporterOptions.credential` and asks it for the https://monitor.azure.com scope;
 * ManagedIdentityCredential needs the client id because the apps carry user-assigned identities
 * (Container Apps exposes them through IDENTITY_ENDPOINT/IDENTITY_HEADER).
 */
function ingestionCredential(clientId: string | undefined): import("@azure/identity").TokenCredential | undefined {
  if (!clientId) return undefined;
  const { ManagedIdentityCredential } = require("@azure/identity") as typeof import("@azure/identity");
  return new ManagedIdentityCredential({ clientId });
}

function isLoaded(pkg: string): boolean {
  try {
    return require.cache[require.resolve(pkg)] !== undefined;
  } catch {
    return false;
  }
}

function attachTransportToLogger(): void {
  const { logger } = require("./logger") as typeof import("./logger");
  const { OpenTelemetryTransportV3 } = require("@opentelemetry/winston-transport") as {
    OpenTelemetryTransportV3: new () => import("winston-transport");
  };
  if (!logger.transports.some((t) => t instanceof OpenTelemetryTransportV3)) logger.add(new OpenTelemetryTransportV3());
  logger.warn("gatehouse.telemetry.late_start", {
    detail: "winston was loaded before startTelemetry(); log lines are exported, trace correlation is not",
  });
}
