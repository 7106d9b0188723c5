import { GatehouseError } from "../../runtime/core/errors";
import { METRIC_NAMES, metricTotals } from "../../runtime/core/telemetry/metrics";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { openSse, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { auditRecords, rawPost } from "./support/gateway-client";

/**
 * Attack: data the gateway cannot scan, hidden in an SSE event whose data is not JSON (a card
 * number in plain text). It was dropped silently: neither relayed nor noted anywhere (issue 14,
 * item 8). Defence: still never relayed, and the call's response record says how many messages
 * were withheld. A refusal whose record cannot be written is still refused, and the lost record
 * is counted (issue 14, item 1).
 */
const CARD = "4111111111111111";

describe("SSE data that is not JSON", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  beforeAll(async () => {
    up = await startHostileUpstream((msg, res) => {
      const send = openSse(res);
      send(`data: card ${CARD} in plain text`);
      send(
        `data: ${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: "done" }] } })}`,
      );
      res.end();
    });
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [{ name: "plain", transport: { type: "http", url: up.url } }],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["plain"],
          tools: { allow: ["*"], deny: ["forbidden"] },
        },
      ],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await up?.stop();
  });

  test("is not relayed, and the response record counts it", async () => {
    const r = await rawPost(
      h,
      "plain",
      token,
      JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "plain_text", arguments: {} } }),
    );
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(CARD);
    expect(r.messages).toHaveLength(1);
    expect(r.json?.id).toBe(7);
    const records = await auditRecords(h);
    const response = records.find((x) => x.kind === "mcp.response" && x.action.name === "plain_text");
    expect(response?.details).toMatchObject({ droppedUpstreamMessages: { non_json_event: 1 } });
    expect(JSON.stringify(records)).not.toContain(CARD);
  });

  test("a refusal whose audit record cannot be written is still refused, and the lost record is counted", async () => {
    const failing = {
      write: async () => {
        throw new GatehouseError("ERR_AUDIT_UNAVAILABLE", "Service unavailable: the audit trail is down");
      },
      close: async () => undefined,
    };
    const url = await h.extraGateway({ audit: failing });
    const before = metricTotals()[METRIC_NAMES.auditRecordsLost];
    const res = await fetch(`${url}/mcp/plain`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 8,
        method: "tools/call",
        params: { name: "forbidden", arguments: {} },
      }),
    });
    const body = (await res.json()) as { id: number; error: { data: { code: string } } };
    expect(body.id).toBe(8);
    expect(body.error.data.code).toBe("ERR_TOOL_DENIED");
    expect(metricTotals()[METRIC_NAMES.auditRecordsLost]).toBe(before + 1);
  });
});
