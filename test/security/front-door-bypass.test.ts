/**
 * Attack: reaching the gateway around its Front Door (and so around the WAF), or choosing the
 * client address of one's audit records through the headers Front Door passes on. With
 * GATEHOUSE_FRONT_DOOR_ID set, a request without the profile's X-Azure-FDID is refused 403
 * ERR_EDGE_REFUSED and audited; the client address comes from X-Azure-SocketIP only when the TCP
 * peer is a trusted proxy (loopback stands in for the Container Apps ingress here), never from a
 * client's X-Forwarded-For or X-Azure-ClientIP.
 */
import { refusalAuditOf } from "../../runtime/gateway/gateway-app";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { eventually, startEdgeGateway, type EdgeGateway } from "./support/edge-gateway";
import { MCP_HEADERS } from "./support/gateway-client";

const FDID = "3f2c9a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
const OTHER_FDID = "0a0a0a0a-bbbb-4ccc-8ddd-e1e1e1e1e1e1";
const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fd-test", version: "1" } },
});

describe("Front Door bypass", () => {
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
  const start = async (chainId: string, trustedProxies: string[] = ["127.0.0.1"]) => {
    const g = await startEdgeGateway(h, chainId, { frontDoorId: FDID, trustedProxies });
    gateways.push(g);
    return g;
  };
  const post = async (gw: EdgeGateway, headers: Record<string, string>, token = "bad") => {
    const r = await fetch(`${gw.url}/mcp/everything`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...MCP_HEADERS, ...headers },
      body: INITIALIZE,
    });
    const text = await r.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { data?: { code?: string } } }).error?.data?.code;
    } catch {
      code = undefined; // an SSE answer: an accepted request
    }
    return { status: r.status, code };
  };
  const refusals = async (gw: EdgeGateway) => {
    refusalAuditOf(gw.app).flush();
    const records = await eventually(gw.records, (rs) => rs.some((r) => r.kind === "http.refused"));
    return records
      .filter((r) => r.kind === "http.refused")
      .map((r) => ({ code: r.decision?.code, clientIp: r.actor.clientIp }));
  };

  test("without X-Azure-FDID: refused 403 ERR_EDGE_REFUSED, before authentication, and audited", async () => {
    const gw = await start("fd-missing");
    const token = await h.token("alice");
    expect(await post(gw, {}, token)).toEqual({ status: 403, code: "ERR_EDGE_REFUSED" });
    expect(await refusals(gw)).toEqual([{ code: "ERR_EDGE_REFUSED", clientIp: "127.0.0.1" }]);
  });

  test("with another profile's X-Azure-FDID: refused the same way", async () => {
    const gw = await start("fd-wrong");
    const token = await h.token("alice");
    expect(await post(gw, { "x-azure-fdid": OTHER_FDID }, token)).toEqual({ status: 403, code: "ERR_EDGE_REFUSED" });
    expect((await refusals(gw)).map((r) => r.code)).toEqual(["ERR_EDGE_REFUSED"]);
  });

  test("with the profile's X-Azure-FDID: accepted (a valid token initializes a session)", async () => {
    const gw = await start("fd-right");
    const token = await h.token("alice");
    const answer = await post(gw, { "x-azure-fdid": FDID.toUpperCase(), "x-azure-socketip": "203.0.113.9" }, token);
    expect(answer.status).toBe(200);
    expect(answer.code).toBeUndefined();
    const records = await eventually(gw.records, (rs) => rs.some((r) => r.actor.oid !== null));
    const byUser = records.filter((r) => r.actor.oid !== null);
    expect(byUser.length).toBeGreaterThan(0);
    expect(new Set(byUser.map((r) => r.actor.clientIp))).toEqual(new Set(["203.0.113.9"]));
  });

  test("health probes of the platform need no X-Azure-FDID", async () => {
    const gw = await start("fd-health");
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });

  test("the client address is X-Azure-SocketIP from a trusted proxy, never X-Forwarded-For or X-Azure-ClientIP", async () => {
    const gw = await start("fd-address");
    const spoofed = { "x-azure-fdid": FDID, "x-forwarded-for": "198.51.100.1", "x-azure-clientip": "198.51.100.2" };
    expect(await post(gw, { ...spoofed, "x-azure-socketip": "203.0.113.7" })).toEqual({
      status: 401,
      code: expect.any(String),
    });
    expect((await refusals(gw)).map((r) => r.clientIp)).toEqual(["203.0.113.7"]);
  });

  test("from a peer that is not a trusted proxy the header is ignored: the TCP peer is recorded", async () => {
    const gw = await start("fd-untrusted", []);
    expect((await post(gw, { "x-azure-fdid": FDID, "x-azure-socketip": "203.0.113.7" })).status).toBe(401);
    expect((await refusals(gw)).map((r) => r.clientIp)).toEqual(["127.0.0.1"]);
  });

  test("a malformed X-Azure-SocketIP is not taken as an address", async () => {
    const gw = await start("fd-malformed");
    expect((await post(gw, { "x-azure-fdid": FDID, "x-azure-socketip": "not-an-ip, 203.0.113.7" })).status).toBe(401);
    expect((await refusals(gw)).map((r) => r.clientIp)).toEqual(["127.0.0.1"]);
  });
});
