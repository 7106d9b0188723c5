/**
 * Every Azure Tables call of the approvals and grants stores is bounded: a store that is frozen
 * (accepts connections, never answers) or down must not hold a JIT request or an approval for
 * 30 s and more. A per-call deadline covers the retries; a store that does not answer within it
 * becomes ERR_STORE_UNAVAILABLE (HTTP 503 with Retry-After), never a 500 or a "revoked" token.
 */
import { RestError, type TableClient } from "@azure/data-tables";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { GatehouseError } from "../errors";
import { gatehouseMetrics } from "../telemetry/metrics";
import { logger } from "../telemetry/logger";

/** @default 5000: a table read takes milliseconds; 5 s means the store is in trouble. */
export const DEFAULT_STORE_TIMEOUT_MS = 5000;
/** What the 503 tells the client to wait before retrying. */
export const STORE_RETRY_AFTER_SECONDS = 5;

export interface StoreTimeoutOptions {
  /** Deadline of one store call, retries included, in ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** Retries of the SDK's pipeline: few and short, so a refused connection fails fast too. */
export const STORE_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500 } as const;

/** A pipeline policy (once per call, before retries) that aborts the call at its deadline. */
export function deadlinePolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: "gatehouseStoreDeadline",
    sendRequest: (request, next) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      request.abortSignal = request.abortSignal
        ? AbortSignal.any([request.abortSignal as AbortSignal, deadline])
        : deadline;
      // Each try also gives up at the deadline (a frozen peer never answers one try).
      request.timeout = timeoutMs;
      return next(request);
    },
  };
}

export function withDeadline(table: TableClient, opts: StoreTimeoutOptions = {}): TableClient {
  table.pipeline.addPolicy(deadlinePolicy(opts.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS), { phase: "Serialize" });
  return table;
}

/**
 * True when the store did not answer: no response, a deadline, a refused or reset connection, a
 * 5xx or 408. A store's own answers (404, 409, 412) and our errors (a record that fails its
 * schema) are not outages: callers handle them.
 */
function isOutage(e: unknown): boolean {
  if (e instanceof RestError) return e.statusCode === undefined || e.statusCode >= 500 || e.statusCode === 408;
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return e.name === "AbortError" || e.name === "TimeoutError" || (typeof code === "string" && /^E[A-Z]+$/.test(code));
}

/**
 * Runs one store operation; a timeout, a refused connection or a 5xx becomes ERR_STORE_UNAVAILABLE
 * (logged and counted: no failure is swallowed). The cause's text is not logged (it may carry URLs).
 */
export async function storeCall<T>(store: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    if (!isOutage(e)) throw e;
    const reason =
      e instanceof RestError
        ? e.statusCode
          ? `status ${e.statusCode}`
          : (e.code ?? "no response")
        : e instanceof Error
          ? e.name
          : "unknown";
    logger.warn("store unavailable", { event: "store.unavailable", store, reason });
    gatehouseMetrics.storeUnavailable({ store });
    throw new GatehouseError(
      "ERR_STORE_UNAVAILABLE",
      `the ${store} store is unavailable; retry in a few seconds`,
      { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
      { cause: e },
    );
  }
}
