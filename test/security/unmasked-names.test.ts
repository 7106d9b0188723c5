import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { jsonAnswer, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { auditRecords, rawPost } from "./support/gateway-client";

/**
 * Attack: data smuggled into what describes a call rather than into its arguments (issue 12,
 * item 6): a card number in a tool name, a SAS URL in a resource URI, both echoed into refusal
 * reasons. They were stored and logged unmasked. Defence: every name, URI, id and reason is
 * masked before it reaches the audit trail (and so evidence), with the policy's audit masking and
 * every built-in detector, whatever the policy enables.
 */
const CARD = "4111111111111111";
const SAS =
  "https://acct.blob.core.windows.net/c/f.txt?sv=2024-11-04&se=2030-01-01&sr=b&sp=r&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg%3D";

describe("unmasked names, URIs and reasons", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  beforeAll(async () => {
    up = await startHostileUpstream((msg, res) =>
      jsonAnswer(res, { jsonrpc: "2.0", id: msg.id, result: { contents: [] } }),
    );
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [{ name: "docs", transport: { type: "http", url: up.url } }],
      // No masking rule at all: names are masked anyway.
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["docs"],
          tools: { allow: ["lookup"] },
          resources: { allow: ["https://*"] },
        },
      ],
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await up?.stop();
  });

  test("a card number in a denied tool's name is masked in the audit record's name and reason", async () => {
    const r = await rawPost(
      h,
      "docs",
      token,
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: `lookup-${CARD}`, arguments: {} },
      }),
    );
    expect(r.json?.error?.data?.code).toBe("ERR_TOOL_DENIED");
    const records = (await auditRecords(h)).filter((x) => x.decision.code === "ERR_TOOL_DENIED");
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records)).not.toContain(CARD);
    expect(records[0].action.name).toContain("[REDACTED:credit_card]");
  });

  test("a SAS signature in a resource URI is masked in the request and response records", async () => {
    const r = await rawPost(
      h,
      "docs",
      token,
      JSON.stringify({ jsonrpc: "2.0", id: 2, method: "resources/read", params: { uri: SAS } }),
    );
    expect(r.json?.result).toEqual({ contents: [] });
    const records = (await auditRecords(h)).filter((x) => x.action.method === "resources/read");
    expect(records.map((x) => x.kind).sort()).toEqual(["mcp.request", "mcp.response"]);
    expect(JSON.stringify(records)).not.toContain("sig=AbCd");
  });

  test("a card number in the User-Agent is masked in the audit record's actor", async () => {
    const r = await rawPost(h, "docs", token, JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }), {
      "user-agent": `probe/1.0 (${CARD})`,
    });
    expect(r.status).toBe(200);
    const records = (await auditRecords(h)).filter((x) => x.action.method === "ping");
    expect(records.length).toBeGreaterThan(0);
    expect(JSON.stringify(records)).not.toContain(CARD);
    expect(records[0].actor.userAgent).toBe("probe/1.0 ([REDACTED:credit_card])");
  });
});
