import type { Request } from "express";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { AuditSink } from "../../../runtime/core/audit/audit-sink";
import type { AuditEventInput, AuditRecord } from "../../../runtime/core/audit/record-schema";
import { GatehouseError } from "../../../runtime/core/errors";
import type { Identity } from "../../../runtime/core/identity";
import { LivePolicy, contentTag, type PolicySource } from "../../../runtime/core/policy/live-policy";
import { METRIC_NAMES, metricTotals } from "../../../runtime/core/telemetry/metrics";
import { liveMasker } from "../../../runtime/gateway/live-masker";
import { newCallContext } from "../../../runtime/gateway/mcp/call-context";
import { CallRecorder } from "../../../runtime/gateway/mcp/call-recorder";

/**
 * The call recorder (issue 14, item 1): a call's records are masked by the masker of the bundle
 * they name, even when a reload puts another bundle in force while the call runs; a record that
 * cannot be written on the refusal path is logged and counted, never swallowed.
 */
const servers = [{ name: "s", transport: { type: "http", url: "http://127.0.0.1:9/mcp" } }];
const A = sealBundle({
  schemaVersion: 1,
  servers,
  access: [],
  masking: [{ id: "codes", patterns: [{ name: "project-code", regex: "PROJECT-[0-9]+" }] }],
});
const B = sealBundle({ schemaVersion: 1, servers, access: [], masking: [] });
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

function memorySink(): AuditSink & { events: AuditEventInput[] } {
  const events: AuditEventInput[] = [];
  return { events, write: async (e) => (events.push(e), {} as AuditRecord), close: async () => undefined };
}

describe("CallRecorder", () => {
  test("GIVEN a call started under bundle A WHEN bundle B is put in force mid-call THEN its records name A and are masked by A's masker", async () => {
    let text = JSON.stringify(A);
    const source: PolicySource = {
      description: "test bundle",
      read: async () => ({ unchanged: false, text, tag: contentTag(text) }),
    };
    const live = await LivePolicy.open({ source, pollSeconds: 0, service: "gateway" });
    const masker = liveMasker(live, undefined);
    const straddling = newCallContext(request, "s", "default", live, masker);
    straddling.method = "tools/call";
    straddling.name = "PROJECT-42";

    text = JSON.stringify(B);
    await live.poll();
    expect(live.bundle.version).toBe(B.version);
    const later = newCallContext(request, "s", "default", live, masker);
    later.method = "tools/call";
    later.name = "PROJECT-42";

    const sink = memorySink();
    await new CallRecorder(sink, straddling).request({ outcome: "allowed" });
    await new CallRecorder(sink, later).request({ outcome: "allowed" });
    expect(sink.events[0].policyVersion).toBe(A.version);
    expect(sink.events[0].action?.name).not.toContain("PROJECT-42");
    expect(sink.events[1].policyVersion).toBe(B.version);
    expect(sink.events[1].action?.name).toBe("PROJECT-42");
    live.stop();
  });

  test("a refusal whose record cannot be written still completes, and the lost record is counted", async () => {
    const failing: AuditSink = {
      write: async () => {
        throw new GatehouseError("ERR_AUDIT_UNAVAILABLE", "down");
      },
      close: async () => undefined,
    };
    const ctx = newCallContext(request, "s", "default", new LivePolicyStub(), {
      maskMessage: (v) => ({ value: v, counts: {} }),
      maskValue: (v) => ({ value: v, counts: {} }),
      maskText: (t) => ({ value: t, counts: {} }),
    });
    const before = metricTotals()[METRIC_NAMES.auditRecordsLost];
    const recorder = new CallRecorder(failing, ctx);
    await expect(
      recorder.refusal(new GatehouseError("ERR_TOOL_DENIED", "denied"), "denied", "r1"),
    ).resolves.toBeUndefined();
    await expect(recorder.end({ outcome: "error" }, { status: "error" })).resolves.toBeUndefined();
    expect(metricTotals()[METRIC_NAMES.auditRecordsLost]).toBe(before + 2);
    // The request record is the one that must be durable: its failure is the caller's to refuse on.
    await expect(new CallRecorder(failing, ctx).request({ outcome: "allowed" })).rejects.toMatchObject({
      code: "ERR_AUDIT_UNAVAILABLE",
    });
  });
});

/** The policy view of a fixed bundle (pinning returns it as it is). */
class LivePolicyStub {
  readonly bundle = A;
  server = () => undefined;
  reachable = () => ({ allowed: true, ruleIds: [] });
  decide = () => {
    throw new Error("not used");
  };
  filterList = <T>(_i: unknown, _s: unknown, _k: unknown, items: T[]) => items;
  checkResult = () => null;
  jitRules = () => [];
  approvalRuleFor = () => null;
}
