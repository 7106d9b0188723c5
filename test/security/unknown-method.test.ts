import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { jsonAnswer, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { auditRecords, rawPost } from "./support/gateway-client";
import { methodLabel } from "../../runtime/core/mcp/mcp-methods";

/**
 * Attack: methods the gateway does not understand (`tasks/*`, `vendor/x`) were forwarded
 * undecided (issue 12, item 14). Defence: only the MCP methods the gateway decides on are
 * forwarded, plus what a server's policy names in `methods`; anything else is refused with
 * ERR_METHOD_DENIED (JSON-RPC "Method not found") and audited.
 */
describe("unknown methods", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  beforeAll(async () => {
    up = await startHostileUpstream((msg, res) =>
      jsonAnswer(res, { jsonrpc: "2.0", id: msg.id, result: { forwarded: msg.method } }),
    );
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [
        { name: "plain", transport: { type: "http", url: up.url } },
        { name: "vendor", transport: { type: "http", url: up.url }, methods: ["vendor/*"] },
      ],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["plain", "vendor"],
          tools: { allow: ["*"] },
        },
      ],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await up?.stop();
  });

  test.each(["tasks/list", "tasks/result", "vendor/x", "notifications/vendor"])(
    "%s is refused with ERR_METHOD_DENIED and never forwarded",
    async (method) => {
      const r = await rawPost(h, "plain", token, JSON.stringify({ jsonrpc: "2.0", id: 3, method, params: {} }));
      expect(r.json?.error?.code).toBe(-32601);
      expect(r.json?.error?.data?.code).toBe("ERR_METHOD_DENIED");
      expect(up.posts(method)).toHaveLength(0);
      const record = (await auditRecords(h)).find((x) => x.action.method === method && x.target.server === "plain");
      expect(record?.decision.outcome).toBe("denied");
    },
  );

  test("a method the server's policy names is forwarded; known MCP methods still are", async () => {
    const vendor = await rawPost(h, "vendor", token, JSON.stringify({ jsonrpc: "2.0", id: 4, method: "vendor/x" }));
    expect(vendor.json?.result).toEqual({ forwarded: "vendor/x" });
    const ping = await rawPost(h, "plain", token, JSON.stringify({ jsonrpc: "2.0", id: 5, method: "ping" }));
    expect(ping.json?.result).toEqual({ forwarded: "ping" });
    const tasks = await rawPost(h, "vendor", token, JSON.stringify({ jsonrpc: "2.0", id: 6, method: "tasks/list" }));
    expect(tasks.json?.error?.data?.code).toBe("ERR_METHOD_DENIED");
  });

  test("a made-up method never becomes a metric label (no data, no unbounded series)", () => {
    expect(methodLabel("tools/call")).toBe("tools/call");
    expect(methodLabel("roots/list (client answer)")).toBe("roots/list (client answer)");
    expect(methodLabel("vendor/4111111111111111")).toBe("other");
    expect(methodLabel("x (client answer)")).toBe("other");
  });
});
