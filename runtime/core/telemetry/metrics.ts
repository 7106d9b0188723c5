/**
 * Gatehouse's metrics, in one place so names stay stable for the alerts and the workbook.
 *
 * Instruments are created from the global OpenTelemetry meter when `bindMetrics()` is called
 * (by `startTelemetry`, after a MeterProvider exists): OTel's metrics API has no proxy, so an
 * instrument created before the provider is registered would stay a no-op forever. Every call
 * is also tallied in-process (`metricTotals()`), which health endpoints and tests read without
 * an exporter.
 */
import {
  metrics as otelMetrics,
  type Attributes,
  type Counter,
  type Histogram,
  type UpDownCounter,
} from "@opentelemetry/api";

export const METRIC_NAMES = {
  requests: "gatehouse.requests",
  denials: "gatehouse.denials",
  approvalsPending: "gatehouse.approvals.pending",
  maskedValues: "gatehouse.masking.values",
  auditWriteLatency: "gatehouse.audit.write_latency",
  auditWriteFailures: "gatehouse.audit.write_failures",
  auditRecords: "gatehouse.audit.records",
  auditRecordsLost: "gatehouse.audit.records_lost",
  policyReloads: "gatehouse.policy.reloads",
  policyReloadFailures: "gatehouse.policy.reload_failures",
  signingFailures: "gatehouse.signing.failures",
  storeUnavailable: "gatehouse.store.unavailable",
  authFailures: "gatehouse.auth.failures",
  notificationFailures: "gatehouse.approvals.notification_failures",
} as const;
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

interface Instruments {
  requests: Counter;
  denials: Counter;
  approvalsPending: UpDownCounter;
  maskedValues: Counter;
  auditWriteLatency: Histogram;
  auditWriteFailures: Counter;
  auditRecords: Counter;
  auditRecordsLost: Counter;
  policyReloads: Counter;
  policyReloadFailures: Counter;
  signingFailures: Counter;
  storeUnavailable: Counter;
  authFailures: Counter;
  notificationFailures: Counter;
}

let instruments: Instruments | null = null;
const totals = new Map<MetricName, number>();

function tally(name: MetricName, value: number): void {
  totals.set(name, (totals.get(name) ?? 0) + value);
}

/** (Re)creates the instruments from the current global MeterProvider. */
export function bindMetrics(): void {
  const meter = otelMetrics.getMeter("gatehouse");
  instruments = {
    requests: meter.createCounter(METRIC_NAMES.requests, { description: "MCP requests decided by the gateway" }),
    denials: meter.createCounter(METRIC_NAMES.denials, { description: "requests denied or blocked by policy" }),
    approvalsPending: meter.createUpDownCounter(METRIC_NAMES.approvalsPending, {
      description: "approval requests waiting for a decision",
    }),
    maskedValues: meter.createCounter(METRIC_NAMES.maskedValues, { description: "values masked, by entity type" }),
    auditWriteLatency: meter.createHistogram(METRIC_NAMES.auditWriteLatency, {
      description: "time for an audit batch to become durable",
      unit: "ms",
    }),
    auditWriteFailures: meter.createCounter(METRIC_NAMES.auditWriteFailures, {
      description: "audit records that could not be made durable (the call was refused)",
    }),
    auditRecords: meter.createCounter(METRIC_NAMES.auditRecords, { description: "audit records made durable" }),
    auditRecordsLost: meter.createCounter(METRIC_NAMES.auditRecordsLost, {
      description:
        "records of calls already refused or ended that could not be written (best-effort writes: logged too)",
    }),
    policyReloads: meter.createCounter(METRIC_NAMES.policyReloads, {
      description: "new policy bundles put in force without a restart",
    }),
    policyReloadFailures: meter.createCounter(METRIC_NAMES.policyReloadFailures, {
      description: "new policy bundles refused (invalid) or unreadable; the previous bundle stayed in force",
    }),
    signingFailures: meter.createCounter(METRIC_NAMES.signingFailures, {
      description: "signing-key operations that failed (Key Vault unreachable or throttled), by purpose",
    }),
    storeUnavailable: meter.createCounter(METRIC_NAMES.storeUnavailable, {
      description: "approvals/grants table calls that timed out or failed (answered 503)",
    }),
    authFailures: meter.createCounter(METRIC_NAMES.authFailures, {
      description: "requests refused by authentication (each one, including those aggregated in the audit trail)",
    }),
    notificationFailures: meter.createCounter(METRIC_NAMES.notificationFailures, {
      description: "approval notifications given up after every attempt, by channel",
    }),
  };
}

/** The recorders every module uses; attributes carry ids and codes only, never values. */
export const gatehouseMetrics = {
  request(attrs: { server: string; method: string; outcome: string }): void {
    tally(METRIC_NAMES.requests, 1);
    instruments?.requests.add(1, attrs);
  },
  denial(attrs: { server: string; code: string }): void {
    tally(METRIC_NAMES.denials, 1);
    instruments?.denials.add(1, attrs);
  },
  /** +1 when an approval is requested, -1 when it is decided or expires. */
  approvalsPending(delta: number, attrs: Attributes = {}): void {
    tally(METRIC_NAMES.approvalsPending, delta);
    instruments?.approvalsPending.add(delta, attrs);
  },
  masked(counts: Record<string, number>, attrs: { server: string; copy: string }): void {
    for (const [entity, n] of Object.entries(counts)) {
      if (n <= 0) continue;
      tally(METRIC_NAMES.maskedValues, n);
      instruments?.maskedValues.add(n, { ...attrs, entity });
    }
  },
  auditWrite(latencyMs: number, records: number, attrs: { chainId: string }): void {
    tally(METRIC_NAMES.auditRecords, records);
    instruments?.auditWriteLatency.record(latencyMs, attrs);
    instruments?.auditRecords.add(records, attrs);
  },
  auditWriteFailure(records: number, attrs: { chainId: string; reason: string }): void {
    tally(METRIC_NAMES.auditWriteFailures, records);
    instruments?.auditWriteFailures.add(records, attrs);
  },
  /** A best-effort record (a refusal, a call's end) that could not be written: the call was already refused or over. */
  auditRecordLost(attrs: { kind: string; code: string }): void {
    tally(METRIC_NAMES.auditRecordsLost, 1);
    instruments?.auditRecordsLost.add(1, attrs);
  },
  policyReloaded(attrs: { service: string }): void {
    tally(METRIC_NAMES.policyReloads, 1);
    instruments?.policyReloads.add(1, attrs);
  },
  policyReloadFailure(attrs: { service: string; reason: "invalid" | "unreadable" }): void {
    tally(METRIC_NAMES.policyReloadFailures, 1);
    instruments?.policyReloadFailures.add(1, attrs);
  },
  signingFailure(attrs: { purpose: string }): void {
    tally(METRIC_NAMES.signingFailures, 1);
    instruments?.signingFailures.add(1, attrs);
  },
  storeUnavailable(attrs: { store: string }): void {
    tally(METRIC_NAMES.storeUnavailable, 1);
    instruments?.storeUnavailable.add(1, attrs);
  },
  authFailure(attrs: { code: string }): void {
    tally(METRIC_NAMES.authFailures, 1);
    instruments?.authFailures.add(1, attrs);
  },
  /** An approval notification (request, reminder, escalation, resolve) given up after its last attempt. */
  notificationFailure(attrs: { channel: string }): void {
    tally(METRIC_NAMES.notificationFailures, 1);
    instruments?.notificationFailures.add(1, attrs);
  },
};

/** In-process totals since start (for /readyz details and tests). */
export function metricTotals(): Record<MetricName, number> {
  const out = {} as Record<MetricName, number>;
  for (const name of Object.values(METRIC_NAMES)) out[name] = totals.get(name) ?? 0;
  return out;
}
