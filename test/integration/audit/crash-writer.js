// Child process of the crash test: writes audit records as fast as it can with 16 concurrent
// writers and prints "ack <id> <seq>" for each write() that resolved (stdout to a pipe is
// synchronous on Linux, so a printed ack is a resolved write). The test kills it with SIGKILL.
"use strict";
const path = require("node:path");
const { BlobServiceClient } = require("@azure/storage-blob");
const { openBlobAuditSink } = require(
  path.join(__dirname, "..", "..", "..", "dist", "runtime", "core", "audit", "blob-audit-sink.js"),
);

const [connectionString, chainId] = process.argv.slice(2);
const event = (i) => ({
  kind: "mcp.request",
  correlationId: `crash-${i}`,
  policyVersion: "pv-crash",
  actor: { oid: "oid-alice", tenantId: "t", username: "alice@example.test", via: "entra" },
  target: { server: "customers" },
  action: { method: "tools/call", name: "list_customers", jsonrpcId: i },
  decision: { outcome: "allowed", ruleId: "engineers-customers" },
});

(async () => {
  const blobService = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 1 } });
  const sink = await openBlobAuditSink({ blobService, chainId, maxBatchDelayMs: 5 });
  process.stdout.write("ready\n");
  let next = 0;
  const worker = async () => {
    for (;;) {
      const r = await sink.write(event(next++));
      process.stdout.write(`ack ${r.id} ${r.seq}\n`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
})().catch((e) => {
  process.stderr.write(`crash-writer: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
