import type { Request } from "express";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { AuditSink } from "../../../runtime/core/audit/audit-sink";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { GatehouseError } from "../../../runtime/core/errors";
import type { Identity } from "../../../runtime/core/identity";
import { createMasker } from "../../../runtime/core/masking/masker";
import { PolicyEngine } from "../../../runtime/core/policy/policy-engine";
import { newCallContext } from "../../../runtime/gateway/mcp/call-context";
import { CallRecorder, type OutcomeListener } from "../../../runtime/gateway/mcp/call-recorder";

/**
 * The call recorder's one hook (issue 19, item 3): an approved call's approval hears once how the
 * call ended, after the last record is written — ok, error, withheld, blocked, and whether it
 * reached the upstream at all; a listener that fails never fails the call.
 */
const bundle = sealBundle({
  schemaVersion: 1,
  servers: [{ name: "s", transport: { type: "http", url: "http://127.0.0.1:9/mcp" } }],
  access: [],
});
const alice: Identity = {
  oid: "oid-alice",
  tenantId: "t",
  username: "alice",
  roles: ["Engineer"],
  groups: [],
  groupsOverage: false,
  via: "entra",
  jit: null,
};
const request = { headers: {}, ip: "127.0.0.1", auth: alice } as unknown as Request;
const okSink: AuditSink = { write: async () => ({}) as AuditRecord, close: async () => undefined };
const downSink: AuditSink = {
  write: async () => {
    throw new GatehouseError("ERR_AUDIT_UNAVAILABLE", "down");
  },
  close: async () => undefined,
};

function recorder(sink: AuditSink, forwarded: boolean): { rec: CallRecorder; heard: Parameters<OutcomeListener>[0][] } {
  const ctx = newCallContext(request, "s", "default", new PolicyEngine(bundle), createMasker({ bundle }));
  if (forwarded) ctx.upstreamStarted = performance.now();
  const rec = new CallRecorder(sink, ctx);
  const heard: Parameters<OutcomeListener>[0][] = [];
  rec.onOutcome(async (o) => void heard.push(o));
  return { rec, heard };
}

test("a result that reached the client: ok, ran, heard once even when the exchange's end is recorded after", async () => {
  const { rec, heard } = recorder(okSink, true);
  await rec.response(
    { outcome: "allowed" },
    { status: "ok", errorCode: null, digest: null, sizeBytes: null, maskingCounts: {} },
  );
  await rec.end(
    { outcome: "error", reason: "late" },
    { status: "none", errorCode: null, digest: null, sizeBytes: null, maskingCounts: {} },
  );
  expect(heard).toEqual([{ status: "ok", ran: true, code: null }]);
});

test("a result blocked by a guardrail, and one withheld, say so", async () => {
  const blocked = recorder(okSink, true);
  await blocked.rec.response(
    { outcome: "blocked", code: "ERR_GUARDRAIL_BLOCKED" },
    { status: "error", errorCode: -32000, digest: null, sizeBytes: null, maskingCounts: {} },
  );
  expect(blocked.heard).toEqual([{ status: "blocked", ran: true, code: "ERR_GUARDRAIL_BLOCKED" }]);
  const withheld = recorder(okSink, true);
  await withheld.rec.response(
    { outcome: "error", code: "ERR_RESULT_WITHHELD" },
    { status: "withheld", errorCode: -32000, digest: null, sizeBytes: null, maskingCounts: {} },
  );
  expect(withheld.heard).toEqual([{ status: "withheld", ran: true, code: "ERR_RESULT_WITHHELD" }]);
});

test("refused before it was forwarded (the request record could not be written): not run, with the code", async () => {
  const { rec, heard } = recorder(downSink, false);
  await rec.failure(new GatehouseError("ERR_AUDIT_UNAVAILABLE", "down"));
  expect(heard).toEqual([{ status: "error", ran: false, code: "ERR_AUDIT_UNAVAILABLE" }]);
});

test("a response record that cannot be written is an error outcome; the write's failure still reaches the caller", async () => {
  const { rec, heard } = recorder(downSink, true);
  await expect(
    rec.response(
      { outcome: "allowed" },
      { status: "ok", errorCode: null, digest: null, sizeBytes: null, maskingCounts: {} },
    ),
  ).rejects.toMatchObject({ code: "ERR_AUDIT_UNAVAILABLE" });
  expect(heard).toEqual([{ status: "error", ran: true, code: "ERR_AUDIT_UNAVAILABLE" }]);
});

test("a listener that fails never fails the call", async () => {
  const ctx = newCallContext(request, "s", "default", new PolicyEngine(bundle), createMasker({ bundle }));
  const rec = new CallRecorder(okSink, ctx);
  rec.onOutcome(async () => {
    throw new GatehouseError("ERR_STORE_UNAVAILABLE", "table down");
  });
  await expect(
    rec.response(
      { outcome: "allowed" },
      { status: "ok", errorCode: null, digest: null, sizeBytes: null, maskingCounts: {} },
    ),
  ).resolves.toBeUndefined();
});
