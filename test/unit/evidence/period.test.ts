import { chainRanges, parsePeriod, recordsInPeriod } from "../../../runtime/core/evidence/period";
import { parseInstant } from "../../../runtime/core/evidence/instant";
import { toolCallsReport } from "../../../runtime/core/evidence/tool-calls-report";
import { ALICE, TrailBuilder, call, response, testBundle } from "./trail-fixture";

const b = testBundle();

describe("period and chain ranges", () => {
  test("a period is validated and normalised to UTC", () => {
    expect(parsePeriod("2026-03-01T01:00:00+01:00", "2026-03-02T00:00:00Z")).toEqual({
      from: "2026-03-01T00:00:00.000Z",
      to: "2026-03-02T00:00:00.000Z",
    });
    expect(() => parsePeriod("yesterday", "2026-03-02T00:00:00Z")).toThrow(TypeError);
    expect(() => parsePeriod("2026-03-02T00:00:00Z", "2026-03-01T00:00:00Z")).toThrow(TypeError);
  });

  test("one date parser for every command: a date is midnight UTC; a timestamp needs a zone", () => {
    expect(parseInstant("2026-11-28")).toBe("2026-11-28T00:00:00.000Z");
    expect(parseInstant("2026-11-28T14:05:00Z")).toBe("2026-11-28T14:05:00.000Z");
    expect(parseInstant("2026-11-28T15:05+01:00")).toBe("2026-11-28T14:05:00.000Z");
    expect(parseInstant("2026-11-28T14:05:00.5Z")).toBe("2026-11-28T14:05:00.500Z");
    for (const bad of ["2026-11-28T14:05:00", "2026-02-30", "yesterday", "28/11/2026", ""])
      expect([bad, parseInstant(bad)]).toEqual([bad, null]);
    expect(parsePeriod("2026-11-28", "2026-11-29")).toEqual({
      from: "2026-11-28T00:00:00.000Z",
      to: "2026-11-29T00:00:00.000Z",
    });
    expect(() => parsePeriod("2026-11-28", "2026-11-28")).toThrow(TypeError);
  });

  test("completeness: per chain, the period's records are exactly its seq range; from inclusive, to exclusive", () => {
    const t = new TrailBuilder(Date.parse("2026-03-01T00:00:00Z"));
    for (let m = -30; m < 24 * 60 + 30; m += 15) {
      t.add("gw-1", m, call(b, ALICE, "files", "read", "allowed", { correlationId: `a${m}` }));
      t.add("gw-1", m, response(b, ALICE, `a${m}`));
      if (m % 60 === 0)
        t.add("gw-2", m, call(b, ALICE, "customers", "get_customer", "allowed", { correlationId: `b${m}` }));
    }
    const period = parsePeriod("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z");
    const ranges = chainRanges(t.chains, period);
    expect(ranges.map((r) => [r.chainId, r.firstSeq, r.lastSeq, r.recordCount, r.contiguous])).toEqual([
      ["gw-1", 4, 4 + 2 * 96 - 1, 2 * 96, true],
      ["gw-2", 0, 23, 24, true],
    ]);
    const g1 = t.chains.get("gw-1")!;
    expect(ranges[0].hashBefore).toBe(g1[3].hash);
    expect(ranges[0].hashAtEnd).toBe(g1[4 + 2 * 96 - 1].hash);
    expect(ranges[1].hashBefore).toBe("0".repeat(64));
    expect(recordsInPeriod(t.chains, period)).toHaveLength(ranges.reduce((n, r) => n + r.recordCount, 0));
    // The tool-calls population is every request record of the range.
    expect(toolCallsReport({ chains: t.chains, bundles: [b], period }).rows).toHaveLength(96 + 24);
  });
});
