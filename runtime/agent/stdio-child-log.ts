/**
 * What a stdio server's process says about itself reaches the logs, masked: its stderr (every
 * built-in detector, redact: it may print anything; truncated; at most MAX_STDERR_LINES lines per
 * process, the rest counted) and its exit code or signal (a warning unless the agent ended it).
 */
import type { ChildProcess } from "node:child_process";
import type { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createMasker } from "../core/masking/masker";
import { logger } from "../core/telemetry/logger";

const MAX_STDERR_LINES = 20;
const MAX_LINE_CHARS = 500;
const logMasker = createMasker({ bundle: null });

/** Call before start(): logs stderr lines masked; returns how many lines were not logged. */
export function logStderr(stdio: StdioClientTransport, server: string): () => number {
  let lines = 0;
  let buffered = "";
  stdio.stderr?.on("data", (chunk: Buffer) => {
    buffered = (buffered + chunk.toString("utf8")).slice(-4096);
    const parts = buffered.split(/\r?\n/);
    buffered = parts.pop() ?? "";
    for (const line of parts) {
      if (!line.trim() || ++lines > MAX_STDERR_LINES) continue;
      const text = logMasker.maskText(line.slice(0, MAX_LINE_CHARS), { server, copy: "audit" }).value;
      logger.info(text, { event: "agent.stdio_stderr", server });
    }
  });
  return () => Math.max(0, lines - MAX_STDERR_LINES);
}

/** Call after start(): logs the exit code or signal (the SDK's onclose does not pass them). */
export function watchExit(
  stdio: StdioClientTransport,
  server: string,
  endedByAgent: () => boolean,
  droppedStderr: () => number,
): void {
  // The SDK keeps its ChildProcess private; without it, the exit is still seen through onclose.
  const child = (stdio as unknown as { _process?: ChildProcess })._process;
  const pid = stdio.pid;
  child?.once("exit", (code, signal) => {
    const meta = {
      event: "agent.stdio_exit",
      server,
      pid,
      code,
      signal,
      expected: endedByAgent(),
      stderrLinesNotLogged: droppedStderr(),
    };
    if (meta.expected) logger.info("stdio upstream exited", meta);
    else logger.warn("stdio upstream exited unexpectedly", meta);
  });
}
