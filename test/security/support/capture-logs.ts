/**
 * Captures every line the process logger writes while `fn` runs (a winston Stream transport
 * added to the logger itself: the Console transport writes to the streams directly, so spying on
 * console.* would see nothing). `level` lowers the logger's level for the duration; `fn` sees the
 * lines captured so far.
 */
import { Writable } from "node:stream";
import winston from "winston";
import { logger } from "../../../runtime/core/telemetry/logger";

export async function captureLogs<T>(
  fn: (lines: readonly string[]) => Promise<T>,
  level = logger.level,
): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  const transport = new winston.transports.Stream({ stream, level: "debug" });
  const before = logger.level;
  logger.level = level;
  logger.add(transport);
  try {
    return { result: await fn(lines), lines };
  } finally {
    logger.remove(transport);
    logger.level = before;
  }
}
