import { bareLoop, machineSpeedMBps } from "../../../../bench/support/machine-speed";

describe("machine speed yardstick", () => {
  it("reads every character (odd char codes counted) and reports a finite MB/s", () => {
    expect(bareLoop("abc")).toBe(2); // a=97, b=98, c=99
    const mbps = machineSpeedMBps("x".repeat(200_000), 3);
    expect(Number.isFinite(mbps)).toBe(true);
    expect(mbps).toBeGreaterThan(0);
  });
});
