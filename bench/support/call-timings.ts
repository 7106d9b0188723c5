/**
 * Where a lone call's time goes, from the gateway's own records: the response record of every
 * `tools/call` carries `timings` (decidedMs: after authentication, the decision; upstreamMs: from
 * forwarding to the response record — the agent token, the agent, the upstream, the relay and
 * masking; totalMs: from the start of the call to the response record). What is left of the
 * client's latency is the response record's durable append and the write to the client; what
 * totalMs holds beyond the decision and the upstream is mostly the request record's append.
 * Read from the trail in Azurite after a slow paced run, so that nothing queues.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { readAuditTrail } from "../../runtime/core/audit/audit-reader";
import { percentile } from "./paced-load";

export interface CallTimings {
  readonly calls: number;
  readonly decidedP50: number;
  readonly upstreamP50: number;
  readonly totalP50: number;
}

/** p50 of the timings of `tool`'s response records written at or after `since`. */
export async function callTimings(connectionString: string, tool: string, since: Date): Promise<CallTimings> {
  const trail = await readAuditTrail({ blobService: BlobServiceClient.fromConnectionString(connectionString) });
  const rows = [...trail.chains.values()]
    .flat()
    .filter((r) => r.kind === "mcp.response" && r.action.name === tool && Date.parse(r.time) >= since.getTime());
  const p50 = (pick: (t: (typeof rows)[number]["timings"]) => number | null) =>
    percentile(
      rows
        .map((r) => pick(r.timings))
        .filter((v): v is number => typeof v === "number")
        .sort((a, b) => a - b),
      50,
    );
  return {
    calls: rows.length,
    decidedP50: p50((t) => t.decidedMs),
    upstreamP50: p50((t) => t.upstreamMs),
    totalP50: p50((t) => t.totalMs),
  };
}
