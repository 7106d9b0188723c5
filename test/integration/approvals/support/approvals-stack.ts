/**
 * A real stack for the approvals tests: Azurite (tables + the audit blob chain), the local OIDC
 * issuer, the gateway's bearer auth and the approvals router in a small express app on loopback.
 * The clock offset lets expiry tests move time forward for the router and the coordinator alike.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import express from "express";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../../dev/azurite-launcher";
import { startLocalIssuer, DEMO, type LocalIssuer } from "../../../../dev/local-issuer-launcher";
import { sealBundle } from "../../../../runtime/core/policy-model/bundle-version";
import { LocalSigner } from "../../../../runtime/core/signing/local-signer";
import { openBlobAuditSink, type BlobAuditSink } from "../../../../runtime/core/audit/blob-audit-sink";
import { readAuditTrail } from "../../../../runtime/core/audit/audit-reader";
import type { AuditRecord } from "../../../../runtime/core/audit/record-schema";
import { PolicyEngine } from "../../../../runtime/core/policy/policy-engine";
import { createEntraBearerAuth } from "../../../../runtime/gateway/auth/create-entra-bearer-auth";
import { ApprovalStore } from "../../../../runtime/core/approvals/approval-store";
import { GrantStore } from "../../../../runtime/core/approvals/grant-store";
import { ApprovalCoordinator } from "../../../../runtime/core/approvals/approval-coordinator";
import type { ToolCatalog } from "../../../../runtime/core/approvals/tool-catalog";
import type { ApprovalNotifier } from "../../../../runtime/core/approvals/notifications/notifier";
import { createApprovalsRouter } from "../../../../runtime/gateway/approvals/approvals-router";

export const TEST_BUNDLE = sealBundle({
  schemaVersion: 1,
  servers: [
    { name: "customers", transport: { type: "stdio", command: "node", args: ["-e", "0"] } },
    { name: "files", transport: { type: "stdio", command: "node", args: ["-e", "0"] } },
  ],
  access: [
    {
      id: "engineers-customers",
      principals: { roles: ["Engineer"] },
      servers: ["customers"],
      tools: { allow: ["*"] },
      mode: "standing",
    },
    {
      id: "customers-jit",
      principals: { roles: ["Engineer"] },
      servers: ["customers"],
      tools: { allow: ["*"] },
      mode: "jit",
      jit: { maxMinutes: 30, grant: "on-request" },
    },
    {
      id: "files-jit",
      principals: { roles: ["Engineer"] },
      servers: ["files"],
      tools: { allow: ["*"] },
      mode: "jit",
      jit: { maxMinutes: 15, grant: "approval", approvers: { roles: ["Approver"] } },
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

export interface ApprovalsStack {
  readonly azurite: AzuriteInstance;
  readonly issuer: LocalIssuer;
  readonly signer: LocalSigner;
  readonly approvals: ApprovalStore;
  readonly grants: GrantStore;
  readonly audit: BlobAuditSink;
  readonly policy: PolicyEngine;
  readonly coordinator: ApprovalCoordinator;
  /** The express app's URL (also its public URL). */
  readonly url: string;
  /** Milliseconds added to the clock of the router and the coordinator. */
  clock: { offsetMs: number };
  token(user: string, extra?: Record<string, string>): Promise<string>;
  /** Every durable audit record, read back from the blob chain. */
  auditRecords(): Promise<AuditRecord[]>;
  api(
    method: string,
    p: string,
    user: string | null,
    body?: unknown,
    extra?: Record<string, string>,
  ): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

export async function startApprovalsStack(
  opts: {
    notifier?: ApprovalNotifier;
    jitApprovalWaitMs?: number;
    pollIntervalMs?: number;
    storeTimeoutMs?: number;
    tools?: ToolCatalog;
  } = {},
): Promise<ApprovalsStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-approvals-"));
  const [azurite, issuer] = await Promise.all([startAzurite({ location: dir }), startLocalIssuer()]);
  const signer = await LocalSigner.create();
  const location = { connectionString: azurite.connectionString };
  const blobService = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const [approvals, grants, audit] = await Promise.all([
    ApprovalStore.open(location, "approvals", { timeoutMs: opts.storeTimeoutMs }),
    GrantStore.open(location, "grants", { timeoutMs: opts.storeTimeoutMs }),
    openBlobAuditSink({ blobService, chainId: "approvals-test", maxBatchDelayMs: 2 }),
  ]);
  const policy = new PolicyEngine(TEST_BUNDLE);
  const clock = { offsetMs: 0 };
  const now = (): Date => new Date(Date.now() + clock.offsetMs);

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const authenticate = createEntraBearerAuth({
    identityMetadata: `${issuer.url}/.well-known/openid-configuration`,
    audience: DEMO.audience,
    tenantIds: [DEMO.tenantId],
    publicUrl: url,
    jit: { publicJwk: await signer.publicJwk(), isGrantRevoked: grants.isGrantRevoked },
  });
  const policyVersion = () => TEST_BUNDLE.version;
  const coordinator = new ApprovalCoordinator({
    store: approvals,
    audit: { sink: audit, policyVersion },
    publicUrl: url,
    notifier: opts.notifier,
    tools: opts.tools,
    pollIntervalMs: opts.pollIntervalMs ?? 200,
    now,
  });
  const app = express();
  app.use(
    createApprovalsRouter({
      approvals,
      grants,
      policy,
      signer,
      audit,
      authenticate,
      publicUrl: url,
      oidc: { issuer: issuer.url, clientId: DEMO.clientId },
      coordinator,
      policyVersion,
      jitApprovalWaitMs: opts.jitApprovalWaitMs ?? 1500,
      now,
    }),
  );
  server.on("request", app);

  const token = (user: string, extra?: Record<string, string>) => issuer.token(user, extra);
  return {
    azurite,
    issuer,
    signer,
    approvals,
    grants,
    audit,
    policy,
    coordinator,
    url,
    clock,
    token,
    async auditRecords() {
      const trail = await readAuditTrail({ blobService });
      return [...trail.chains.values()].flat();
    },
    async api(method, p, user, body, extra) {
      const headers: Record<string, string> = { accept: "application/json" };
      if (user) headers.authorization = `Bearer ${await token(user, extra)}`;
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(url + p, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: res.status, json };
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await audit.close().catch(() => undefined);
      await Promise.all([azurite.stop(), issuer.stop()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
