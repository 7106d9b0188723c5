/**
 * The built gateway process (dist/runtime/gateway/server.js) on a loopback port with its own
 * Azurite, policy file and signing key, configured only through GATEHOUSE_* variables: what
 * operators set is what these tests exercise. `npm run build` first (npm test does).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAzurite, type AzuriteInstance } from "../../../../dev/azurite-launcher";
import { launch, type LaunchedProcess } from "../../../../dev/process-launcher";
import { freePort } from "../../../../dev/stack/port-probe";
import { sealBundle } from "../../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../../runtime/core/policy-model/schema";
import { repoRoot } from "../../../../runtime/core/repo-root";
import { BlobServiceClient } from "@azure/storage-blob";
import { readAuditTrail } from "../../../../runtime/core/audit/audit-reader";
import type { AuditRecord } from "../../../../runtime/core/audit/record-schema";

export interface GatewayHome {
  readonly dir: string;
  readonly azurite: AzuriteInstance;
  readonly policyFile: string;
  /** Starts a gateway; resolves when it is listening, or with the error code its failed start printed. */
  /** Every durable audit record the gateways wrote, read back from the blob chains. */
  auditRecords(): Promise<AuditRecord[]>;
  /** Polls the trail (bounded) until a record matches; null when none did in time. */
  waitForRecord(match: (r: AuditRecord) => boolean, timeoutMs?: number): Promise<AuditRecord | null>;
  start(
    env: Record<string, string>,
  ): Promise<{ url: string; proc: LaunchedProcess } | { failed: string; proc: LaunchedProcess }>;
  stop(): Promise<void>;
}

export const IDENTITY_BUNDLE: PolicyBundle = sealBundle({
  schemaVersion: 1,
  servers: [{ name: "customers", transport: { type: "stdio", command: "node", args: ["-e", "0"] } }],
  access: [
    {
      id: "engineers",
      principals: { roles: ["Engineer"] },
      servers: ["customers"],
      tools: { allow: ["*"] },
      mode: "standing",
    },
  ],
  approvals: [
    {
      id: "delete-customer",
      servers: ["customers"],
      tools: ["delete_customer"],
      approvers: { roles: ["Approver"] },
      count: 1,
      expiresAfterSeconds: 600,
    },
  ],
});

export async function gatewayHome(bundle: PolicyBundle = IDENTITY_BUNDLE): Promise<GatewayHome> {
  const server = path.join(repoRoot(), "dist", "runtime", "gateway", "server.js");
  if (!fs.existsSync(server)) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-identity-"));
  const azurite = await startAzurite({ location: path.join(dir, "azurite") });
  const policyFile = path.join(dir, "policy-bundle.json");
  fs.writeFileSync(policyFile, JSON.stringify(bundle));
  const running: LaunchedProcess[] = [];
  const auditRecords = async (): Promise<AuditRecord[]> => {
    const trail = await readAuditTrail({
      blobService: BlobServiceClient.fromConnectionString(azurite.connectionString),
    });
    return [...trail.chains.values()].flat();
  };
  return {
    dir,
    azurite,
    policyFile,
    auditRecords,
    async waitForRecord(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await auditRecords().catch(() => [] as AuditRecord[])).find(match);
        if (found || Date.now() > deadline) return found ?? null;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async start(env) {
      const port = await freePort();
      const proc = await launch({
        name: "gateway",
        command: process.execPath,
        args: [server],
        env: {
          ...process.env,
          GATEHOUSE_HOST: "127.0.0.1",
          GATEHOUSE_PORT: String(port),
          GATEHOUSE_POLICY_FILE: policyFile,
          GATEHOUSE_STORAGE_CONNECTION_STRING: azurite.connectionString,
          // Never contacted by these tests: nothing is forwarded.
          GATEHOUSE_AGENT_URL: "http://127.0.0.1:9",
          GATEHOUSE_SIGNING_KEY_FILE: path.join(dir, "signing-key.json"),
          GATEHOUSE_POLICY_POLL_SECONDS: "0",
          GATEHOUSE_LOG_LEVEL: "warn",
          ...env,
        },
        ready: /gatehouse gateway (?:listening at (http:\/\/\S+)|failed to start: (ERR_[A-Z_]+))/,
        timeoutMs: 45_000,
      });
      running.push(proc);
      if (proc.match[2]) return { failed: proc.match[2], proc };
      return { url: proc.match[1].replace(/\/+$/, ""), proc };
    },
    async stop() {
      await Promise.all(running.map((p) => p.stop()));
      await azurite.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
