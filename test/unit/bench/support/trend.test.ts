import { slope } from "../../../../bench/support/trend";

describe("soak trend", () => {
  it("is the least-squares slope, not the difference of the ends", () => {
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 10 + 2 * x })))).toBeCloseTo(2);
    // A flat series whose last sample is a GC high: the ends say +50 per step, the fit much less.
    const flat = [150, 152, 149, 151, 150, 200].map((y, x) => ({ x, y }));
    expect(slope(flat)).toBeLessThan(10);
    expect(slope([{ x: 1, y: 1 }])).toBeNaN();
    expect(slope([1, 1].map((x) => ({ x, y: x })))).toBeNaN();
  });
});
