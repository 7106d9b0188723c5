/**
 * Attack: a client sets X-Forwarded-For to choose the `clientIp` of its audit records (framing
 * another address) and to rotate past the per-address rate limit. X-Forwarded-For is believed
 * only from GATEHOUSE_TRUSTED_PROXIES (none by default); from a trusted proxy it is honoured.
 */
import { refusalAuditOf } from "../../runtime/gateway/gateway-app";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { eventually, startEdgeGateway, type EdgeGateway } from "./support/edge-gateway";

describe("X-Forwarded-For spoofing", () => {
  let h: Harness;
  const gateways: EdgeGateway[] = [];
  beforeAll(async () => {
    h = await startHarness(({ everythingUrl }) => ({
      schemaVersion: 1,
      servers: [{ name: "everything", transport: { type: "http", url: everythingUrl } }],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["everything"],
          tools: { allow: ["*"] },
        },
      ],
    }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await h?.stop();
  });
  const start = async (chainId: string, config: Parameters<typeof startEdgeGateway>[2]) => {
    const g = await startEdgeGateway(h, chainId, config);
    gateways.push(g);
    return g;
  };
  const badToken = (gw: EdgeGateway, forwardedFor: string) =>
    fetch(`${gw.url}/mcp/everything`, {
      method: "POST",
      headers: { authorization: "Bearer bad", "x-forwarded-for": forwardedFor, "content-type": "application/json" },
      body: "{}",
    }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  const recordedIps = async (gw: EdgeGateway) => {
    refusalAuditOf(gw.app).flush();
    const records = await eventually(gw.records, (rs) => rs.some((r) => r.kind === "http.refused"));
    return [...new Set(records.filter((r) => r.kind === "http.refused").map((r) => r.actor.clientIp))];
  };

  test("by default the audit records the TCP peer, not the header", async () => {
    const gw = await start("xff-default", {});
    expect(await badToken(gw, "203.0.113.7")).toBe(401);
    expect(await recordedIps(gw)).toEqual(["127.0.0.1"]);
  });

  test("rotating the header does not dodge the per-address limit", async () => {
    const gw = await start("xff-rotate", { addressRateLimitPerMinute: 5 });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push(await badToken(gw, `198.51.100.${i}`));
    expect(statuses.filter((s) => s === 429).length).toBe(5);
  });

  test("from a configured proxy (here loopback stands in for the ingress) the header is honoured", async () => {
    const gw = await start("xff-trusted", { trustedProxies: ["127.0.0.1"] });
    expect(await badToken(gw, "203.0.113.7")).toBe(401);
    expect(await recordedIps(gw)).toEqual(["203.0.113.7"]);
  });
});
