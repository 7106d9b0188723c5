/**
 * Attack: a network peer floods the gateway with bad tokens, to burn CPU on token checks and to
 * bloat the audit trail with one record per attempt. Refused requests are rate-limited per client
 * address BEFORE authentication (429), and the refusal records are aggregated per address, code
 * and window: a bounded number of records whose `details.count` still adds up to every refusal.
 */
import { METRIC_NAMES, metricTotals } from "../../runtime/core/telemetry/metrics";
import { refusalAuditOf } from "../../runtime/gateway/gateway-app";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { eventually, startEdgeGateway, type EdgeGateway } from "./support/edge-gateway";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};
const FLOOD = 100;
const LIMIT = 20;

describe("a flood of bad tokens", () => {
  let h: Harness;
  let gw: EdgeGateway;
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
    gw = await startEdgeGateway(h, "flood-test", { addressRateLimitPerMinute: LIMIT });
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await h?.stop();
  });

  const post = async (token: string) => {
    const res = await fetch(`${gw.url}/mcp/everything`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify(INIT),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { data?: { code?: string } } };
    return { status: res.status, code: json.error?.data?.code };
  };

  test("is cut with 429 before authentication, and leaves a bounded number of records that state the count", async () => {
    const failuresBefore = metricTotals()[METRIC_NAMES.authFailures];
    const answers = [];
    for (let i = 0; i < FLOOD; i++) answers.push(await post(`not-a-jwt-${i}`));
    expect(answers.filter((a) => a.status === 401).length).toBe(LIMIT);
    expect(answers.filter((a) => a.status === 429 && a.code === "ERR_RATE_LIMITED").length).toBe(FLOOD - LIMIT);
    // The limit sits before authentication: even a valid token from that address waits out the minute.
    expect((await post(await h.token("alice"))).status).toBe(429);

    refusalAuditOf(gw.app).flush();
    const total = (rs: Awaited<ReturnType<EdgeGateway["records"]>>) =>
      rs.filter((r) => r.kind === "http.refused").reduce((n, r) => n + Number(r.details.count), 0);
    const records = (await eventually(gw.records, (rs) => total(rs) >= FLOOD + 1)).filter(
      (r) => r.kind === "http.refused",
    );
    expect(total(records)).toBe(FLOOD + 1);
    // first 401, first 429, then one aggregate per (address, code)
    expect(records.length).toBe(4);
    const aggregates = records.filter((r) => r.details.aggregated === true);
    expect(aggregates.map((r) => [r.decision.code, r.details.count, r.actor.clientIp]).sort()).toEqual([
      ["ERR_AUTH_INVALID", LIMIT - 1, "127.0.0.1"],
      ["ERR_RATE_LIMITED", FLOOD - LIMIT, "127.0.0.1"],
    ]);
    expect(aggregates.every((r) => (r.details.byRoute as Record<string, number>)["POST /mcp"] >= LIMIT - 1)).toBe(true);
    expect(metricTotals()[METRIC_NAMES.authFailures] - failuresBefore).toBe(FLOOD + 1);
  });
});
