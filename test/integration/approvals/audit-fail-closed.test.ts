/**
 * Fail closed when the audit trail cannot be written: the approvals tables stay up (one Azurite),
 * the audit chain's storage goes away (a second Azurite, stopped mid-test). A new request then
 * never waits (no record is created) and a decision that cannot be audited is undone.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { DEMO } from "../../../dev/local-issuer-launcher";
import type { ApprovalRule } from "../../../runtime/core/policy-model/schema";
import { openBlobAuditSink, type BlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { ApprovalStore } from "../../../runtime/core/approvals/approval-store";
import { ApprovalCoordinator } from "../../../runtime/core/approvals/approval-coordinator";
import { decideApproval } from "../../../runtime/core/approvals/approval-decisions";
import type { Identity } from "../../../runtime/core/identity";

const person = (u: "alice" | "bob", roles: string[]): Identity => ({
  oid: DEMO.users[u].oid,
  tenantId: DEMO.tenantId,
  username: DEMO.users[u].username,
  roles,
  groups: [],
  groupsOverage: false,
  via: "entra",
  jit: null,
});
const rule: ApprovalRule = {
  id: "delete-customer",
  description: "",
  servers: ["customers"],
  tools: ["delete_customer"],
  when: [],
  approvers: { roles: ["Approver"], groups: [] },
  count: 1,
  expiresAfterSeconds: 600,
};

let dir: string;
let tables: AzuriteInstance;
let auditStore: AzuriteInstance;
let sink: BlobAuditSink;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-approvals-failclosed-"));
  [tables, auditStore] = await Promise.all([
    startAzurite({ location: path.join(dir, "t") }),
    startAzurite({ location: path.join(dir, "a") }),
  ]);
  sink = await openBlobAuditSink({
    blobService: BlobServiceClient.fromConnectionString(auditStore.connectionString),
    chainId: "failclosed",
    maxBatchDelayMs: 2,
    requestTimeoutMs: 2000,
  });
});
afterAll(async () => {
  await sink?.close().catch(() => undefined);
  await Promise.all([tables?.stop(), auditStore?.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("no audit, no waiting request and no decision", async () => {
  const store = await ApprovalStore.open({ connectionString: tables.connectionString });
  const audit = { sink, policyVersion: () => null };
  const coordinator = new ApprovalCoordinator({
    store,
    audit,
    publicUrl: "http://127.0.0.1:8080",
    pollIntervalMs: 100,
  });
  const request = (id: string) =>
    coordinator.requestAndWait({
      identity: person("alice", ["Engineer"]),
      server: "customers",
      tool: "delete_customer",
      args: { id },
      maskedArgs: { id },
      rule,
      correlationId: randomUUID(),
      signal: new AbortController().signal,
      maxWaitMs: 200,
    });
  const pending = await request("fc-1");
  expect(pending.outcome).toBe("timeout");

  await auditStore.stop();

  await expect(
    decideApproval(
      { store, audit },
      { id: pending.approvalId, action: "approve", who: person("bob", ["Approver"]), reason: "ok" },
    ),
  ).rejects.toMatchObject({ code: "ERR_AUDIT_UNAVAILABLE" });
  expect((await store.require(pending.approvalId)).record).toMatchObject({ status: "pending", approvals: [] });

  const before = (await store.list({ status: "pending" })).length;
  await expect(request("fc-2")).rejects.toMatchObject({ code: "ERR_AUDIT_UNAVAILABLE" });
  expect((await store.list({ status: "pending" })).length).toBe(before);
});
