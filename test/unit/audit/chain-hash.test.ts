import { recordHash, sealEvent, sealRecord } from "../../../runtime/core/audit/chain-hash";
import {
  AuditEventSchema,
  AuditRecordSchema,
  GENESIS_HASH,
  type AuditEventInput,
} from "../../../runtime/core/audit/record-schema";

const input: AuditEventInput = {
  kind: "mcp.response",
  policyVersion: "pv",
  actor: { oid: "oid-1", tenantId: "t", username: "alice" },
  action: { method: "tools/call", name: "get_customer", arguments: { note: undefined, n: 1.5e-7 } },
  decision: { outcome: "allowed" },
  timings: { receivedAt: "2026-11-28T00:00:00.000Z", decidedMs: 0.25, upstreamMs: undefined as never },
};
const link = { chainId: "c1", seq: 0, prevHash: GENESIS_HASH, time: "2026-11-28T00:00:01.000Z", id: "r-1" };

describe("sealEvent (the sink's hot path: one serialization, one hash)", () => {
  it("stores exactly what it hashed: the stored line reads back as the record and verifies", () => {
    const sealed = sealEvent(AuditEventSchema.parse(input), link);
    const stored = JSON.parse(sealed.line) as Record<string, unknown>;
    expect(stored).toEqual(sealed.record);
    expect(recordHash(AuditRecordSchema.parse(stored))).toBe(sealed.record.hash);
    // Undefined members are not stored, so they cannot be hashed either.
    expect(JSON.stringify(stored)).not.toContain("undefined");
    expect(Object.keys(stored).at(-1)).toBe("hash");
  });

  it("hashes and stores the same as validating and sealing (sealRecord)", () => {
    expect(sealEvent(AuditEventSchema.parse(input), link)).toEqual(sealRecord(input, link));
  });

  it("links to the previous record: another prevHash, another hash", () => {
    const a = sealEvent(AuditEventSchema.parse(input), link);
    const b = sealEvent(AuditEventSchema.parse(input), { ...link, prevHash: a.record.hash });
    expect(b.record.prevHash).toBe(a.record.hash);
    expect(b.record.hash).not.toBe(a.record.hash);
  });
});
