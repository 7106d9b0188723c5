import { parseBenchArgs } from "../../../../bench/support/bench-args";

describe("benchmark flags", () => {
  test("defaults: 10 s runs, 20 connections, 500 req/s, 1,000 sessions, a 10-minute soak", () => {
    expect(parseBenchArgs([])).toEqual({
      duration: 10,
      connections: 20,
      rate: 500,
      soakMinutes: 10,
      sessions: 1000,
      quick: false,
    });
  });

  test("kebab-case flags, with a space or '='", () => {
    expect(parseBenchArgs(["--soak-minutes", "2", "--duration=5", "--out", "/tmp/x.json"])).toMatchObject({
      soakMinutes: 2,
      duration: 5,
      out: "/tmp/x.json",
    });
  });

  test("--quick stands alone or takes true/false", () => {
    expect(parseBenchArgs(["--quick"]).quick).toBe(true);
    expect(parseBenchArgs(["--quick", "--duration", "3"])).toMatchObject({ quick: true, duration: 3 });
    expect(parseBenchArgs(["--quick=false"]).quick).toBe(false);
    expect(() => parseBenchArgs(["--quick", "maybe"])).toThrow();
  });

  test("an unknown flag or a bad value is refused, naming the known flags", () => {
    expect(() => parseBenchArgs(["--soak", "2"])).toThrow(/--soak-minutes/);
    expect(() => parseBenchArgs(["--duration", "0"])).toThrow();
    expect(() => parseBenchArgs(["gateway"])).toThrow(/unexpected argument/);
  });
});
