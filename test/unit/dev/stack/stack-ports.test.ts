import net from "node:net";
import { busyPorts, portIsFree } from "../../../../dev/stack/port-probe";
import { stackPortsFromEnv } from "../../../../dev/stack/stack-ports";

describe("local stack ports", () => {
  test("fixed defaults keep URLs stable across restarts", () => {
    expect(stackPortsFromEnv({})).toEqual({
      gateway: 8080,
      agent: 8081,
      issuer: 8090,
      customers: 8091,
      azuriteBlob: 10000,
      azuriteTable: 10002,
    });
  });

  test("GATEHOUSE_PORT=0 puts every component on a free port unless one is named", () => {
    const p = stackPortsFromEnv({ GATEHOUSE_PORT: "0", GATEHOUSE_DEV_ISSUER_PORT: "9123" });
    expect(p).toEqual({ gateway: 0, agent: 0, issuer: 9123, customers: 0, azuriteBlob: 0, azuriteTable: 0 });
  });

  test("a bad value names its variable", () => {
    expect(() => stackPortsFromEnv({ GATEHOUSE_DEMO_CUSTOMERS_PORT: "http" })).toThrow(/GATEHOUSE_DEMO_CUSTOMERS_PORT/);
  });

  test("a port in use is reported with the variable that moves it", async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
    const port = (s.address() as net.AddressInfo).port;
    try {
      expect(await portIsFree(port)).toBe(false);
      const problems = await busyPorts({
        gateway: { port, variable: "GATEHOUSE_PORT" },
        agent: { port: 0, variable: "GATEHOUSE_DEV_AGENT_PORT" },
      });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain("GATEHOUSE_PORT");
    } finally {
      await new Promise<void>((r) => s.close(() => r()));
    }
    expect(await portIsFree(port)).toBe(true);
  });
});
