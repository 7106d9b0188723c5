import http from "node:http";
import { percentile, runPaced } from "../../../../bench/support/paced-load";
import { closeServers, listenOnLoopback } from "../../../support/loopback-server";

describe("paced (open-loop) load", () => {
  it("nearest-rank percentiles", () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 99)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  it("spreads requests evenly instead of bursting, and counts non-2xx apart", async () => {
    const arrivals: number[] = [];
    let n = 0;
    const server = http.createServer((req, res) => {
      arrivals.push(performance.now());
      req.resume();
      req.on("end", () => res.writeHead(++n % 10 === 0 ? 500 : 200).end("{}"));
    });
    const { url } = await listenOnLoopback(server);
    try {
      const r = await runPaced({ url, headers: {}, body: "{}", rate: 100, durationSec: 1 });
      expect(r.ok + r.failed).toBe(100);
      expect(r.failures.non2xx).toBe(10);
      // Never sent before its due time: the last request goes out at least 0.99 s after the first is
      // due, however loaded the machine (a burst, as autocannon's overallRate sends, arrives within ms).
      expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThan(500);
    } finally {
      await closeServers(server);
    }
  });
});
