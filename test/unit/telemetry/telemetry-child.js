// Child process of telemetry.test.ts (a fresh process, because telemetry patches modules as they
// load). Mode: "off" | "azure-first" | "winston-first" | "entra". Prints one JSON line with what it saw.
"use strict";
const path = require("node:path");
const dist = path.join(__dirname, "..", "..", "..", "dist", "runtime", "core", "telemetry");
const mode = process.argv[2];

const captured = [];
const capture = {
  onEmit(record) {
    captured.push({
      body: record.body,
      attributes: record.attributes,
      service: record.resource?.attributes?.["service.name"],
    });
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

(async () => {
  if (mode === "winston-first") require(path.join(dist, "logger.js"));
  const { startTelemetry } = require(path.join(dist, "telemetry.js"));
  const telemetry = startTelemetry({
    serviceName: "gatehouse-test",
    // A syntactically valid connection string whose endpoint refuses connections on loopback.
    connectionString:
      mode === "off"
        ? undefined
        : "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
    // "entra": what the servers pass in Azure (the app's user-assigned identity).
    managedIdentityClientId: mode === "entra" ? process.env.AZURE_CLIENT_ID : undefined,
    logRecordProcessors: [capture],
  });
  const { logger } = require(path.join(dist, "logger.js"));
  logger.info("gatehouse.audit", { chainId: "c-1", seq: 7, kind: "mcp.request" });
  // What an exporter failing in the background looks like: must not crash the process.
  void Promise.reject(new Error("exporter down"));
  await new Promise((r) => setTimeout(r, 50));
  await Promise.race([telemetry.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, 1500))]);
  const monitorLoaded = Object.keys(require.cache).some((k) =>
    k.includes(`${path.sep}@azure${path.sep}monitor-opentelemetry${path.sep}`),
  );
  process.stdout.write(
    JSON.stringify({ enabled: telemetry.enabled, authentication: telemetry.authentication, monitorLoaded, captured }) +
      "\n",
  );
  process.exit(0);
})();
