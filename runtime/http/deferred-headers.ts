/**
 * Sends an SSE response's headers with its first bytes instead of on their own.
 *
 * `flushHeaders()` writes the headers in a syscall (and a loopback TCP segment) of their own, and
 * the first event follows in another: on the call path that was one write in three on the gateway's
 * client side and one in four on the agent's (strace of the issue 15 bench). Most answers arrive
 * within a millisecond, so the headers can travel with them. A stream that has nothing to say for a
 * while (a long tool call, a quiet GET stream) still gets its headers on their own after `delayMs`,
 * so a client or proxy waiting for them is kept waiting at most that long.
 */
import type { ServerResponse } from "node:http";

/** How long headers may wait for the first bytes: unnoticeable to a human, far below any proxy's time-out. */
export const HEADERS_WAIT_MS = 100;

export function flushHeadersSoon(res: ServerResponse, delayMs = HEADERS_WAIT_MS): void {
  setTimeout(() => {
    if (!res.headersSent && !res.writableEnded && !res.destroyed) res.flushHeaders();
  }, delayMs);
}
