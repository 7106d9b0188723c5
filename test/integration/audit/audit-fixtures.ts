/** Shared pieces of the audit integration tests: a real Azurite per test file, and events. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import type { AuditEventInput, Decision } from "../../../runtime/core/audit/record-schema";

export interface AzuriteFixture {
  /** Replaced by a test that restarts Azurite, so stop() stops the running one. */
  azurite: AzuriteInstance;
  readonly blobService: BlobServiceClient;
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startAuditAzurite(): Promise<AzuriteFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-audit-"));
  const azurite = await startAzurite({ location: dir });
  // No SDK retries: a test that stops Azurite should see the failure now, not after back-off.
  const blobService = BlobServiceClient.fromConnectionString(azurite.connectionString, {
    retryOptions: { maxTries: 1 },
  });
  const fx = {
    azurite,
    blobService,
    dir,
    stop: async () => {
      // fx.azurite, not the local: a test may have restarted Azurite on the same folder.
      await fx.azurite.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return fx;
}

let n = 0;
export function uniqueChainId(prefix = "test"): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${n++}`;
}

export function toolCallEvent(
  over: { user?: string; server?: string; tool?: string; outcome?: Decision; i?: number } = {},
): AuditEventInput {
  const user = over.user ?? "alice";
  return {
    kind: "mcp.request",
    correlationId: `corr-${over.i ?? 0}`,
    policyVersion: "pv-1",
    policyCommit: "abc123",
    actor: {
      oid: `oid-${user}`,
      tenantId: "tenant",
      username: `${user}@example.test`,
      roles: ["Engineer"],
      via: "entra",
    },
    target: { server: over.server ?? "customers" },
    action: {
      method: "tools/call",
      name: over.tool ?? "get_customer",
      jsonrpcId: over.i ?? 1,
      arguments: { id: "c-1", email: "[EMAIL]" },
    },
    decision: { outcome: over.outcome ?? "allowed", ruleId: "engineers-customers" },
    result: { maskingCounts: { email: 1 } },
  };
}
