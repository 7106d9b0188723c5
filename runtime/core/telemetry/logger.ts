/**
 * The process logger: structured JSON lines on stdout (Container Apps ships them to Log
 * Analytics). Never log a token, a secret or an unmasked value: log ids, codes and counts.
 */
import winston from "winston";

export const logger = winston.createLogger({
  level: process.env.GATEHOUSE_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  defaultMeta: { service: "gatehouse" },
  transports: [new winston.transports.Console({ stderrLevels: ["error", "warn"] })],
});
