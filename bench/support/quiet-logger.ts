/**
 * Benchmarks that run runtime code in-process (the audit sink) keep its logging — formatting
 * each JSON line is part of the real cost — but send the lines to a file instead of the
 * terminal, so the report stays readable.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import winston from "winston";
import { logger } from "../../runtime/core/telemetry/logger";

export function logToFile(name: string): string {
  const file = path.join(os.tmpdir(), `gatehouse-bench-${name}-${process.pid}.log`);
  logger.clear().add(new winston.transports.Stream({ stream: fs.createWriteStream(file) }));
  return file;
}
