import { logger } from "../telemetry/logger";
import { isLoopbackHost } from "./parse-env";

/** Loopback is the default; anything else is said loudly (STYLE: warn when anything is relaxed). */
export function warnIfNotLoopback(processName: string, host: string): void {
  if (isLoopbackHost(host)) return;
  const line = `WARNING: the ${processName} binds ${host}, not loopback: it is reachable from the network. In Azure this is expected behind Container Apps ingress; on a workstation set GATEHOUSE_HOST=127.0.0.1.`;
  process.stderr.write(`${line}\n`);
  logger.warn(line, { event: "bind.non_loopback", host });
}
