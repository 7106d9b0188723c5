/**
 * The process's one unhandledRejection handler. Node would crash the gateway on an unhandled
 * rejection; a background failure (an exporter that cannot reach Azure, a fake connection string)
 * must not take it down, so it is logged instead. Request paths handle their own errors (fail
 * closed). Installed by runService and by startTelemetry, whichever comes first; once.
 */
let installed = false;

export function installRejectionGuard(service: string): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    // Required lazily: winston must be loaded after the telemetry SDK when telemetry starts first.
    const { logger } = require("./logger") as typeof import("./logger");
    logger.error("unhandled rejection", {
      event: `${service}.unhandled_rejection`,
      error: reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason),
    });
  });
}
