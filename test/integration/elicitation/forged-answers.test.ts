/**
 * Attack: claim or forge the answer to a question the gateway asked (a requester's confirmation),
 * or smuggle it to the upstream. Defence: the gateway's questions carry a gateway-origin sealed id
 * (its own prefix is the authenticated data), answers to it are written to the shared store and
 * never forwarded, an upstream-sealed id never opens as the gateway's (nor the reverse), and a
 * question is answered once. Every refusal is ERR_UNSOLICITED_RESPONSE (400), audited.
 */
import { randomBytes } from "node:crypto";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { rawPost } from "../../security/support/gateway-client";
import { aliceClient, startElicitationStack, type ElicitationStack } from "./support/elicitation-stack";

jest.setTimeout(120_000);

describe("answers to the gateway's own questions cannot be forged, replayed or forwarded", () => {
  let s: ElicitationStack;
  let token: string;
  let sessionId: string;
  const ids = { gateway: "", upstream: "" };
  const clients: Client[] = [];
  beforeAll(async () => {
    s = await startElicitationStack();
    token = await s.h.token("alice");
    // One real exchange: the gateway asks for the confirmation (ge1 id), then the upstream asks its own question (gr1 id).
    const { client, transport } = await aliceClient(
      s,
      s.urls[0],
      "plain",
      (message, _schema, requestId): ElicitResult => {
        if (message.includes("plain-confirmed-by-requester")) {
          ids.gateway = requestId;
          return { action: "accept", content: { confirm: true } };
        }
        ids.upstream = requestId;
        return { action: "accept", content: {} };
      },
    );
    clients.push(client);
    await client.callTool({ name: "ask", arguments: {} });
    sessionId = transport.sessionId!;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s?.stop();
  });

  const answersAtUpstream = () => s.up.received.filter((x) => x.json && ("result" in x.json || "error" in x.json));
  async function answer(id: string) {
    const before = answersAtUpstream().length;
    const r = await rawPost(
      s.h,
      "plain",
      token,
      JSON.stringify({ jsonrpc: "2.0", id, result: { action: "accept", content: { confirm: true } } }),
      { "mcp-session-id": sessionId },
    );
    expect(answersAtUpstream().length).toBe(before);
    return r;
  }

  test("the exchange used a gateway-origin id for the gateway's question and an upstream one for the upstream's", () => {
    expect(ids.gateway.startsWith("ge1.")).toBe(true);
    expect(ids.upstream.startsWith("gr1.")).toBe(true);
    // Only the upstream's own question's answer reached it.
    expect(answersAtUpstream().map((x) => String(x.json!.id))).toEqual([expect.stringMatching(/^srv-ask-/)]);
  });

  test.each([
    ["a made-up gateway-origin id", () => `ge1.${randomBytes(48).toString("base64url")}`],
    ["a replay of the answered gateway question", () => ids.gateway],
    ["the gateway's id relabelled as an upstream's", () => `gr1.${ids.gateway.slice(4)}`],
    ["an upstream's id relabelled as the gateway's", () => `ge1.${ids.upstream.slice(4)}`],
  ])("%s is refused with ERR_UNSOLICITED_RESPONSE and never reaches the upstream", async (_, id) => {
    const r = await answer(id());
    expect(r.status).toBe(400);
    expect(r.json?.error?.data?.code).toBe("ERR_UNSOLICITED_RESPONSE");
  });

  test("the refusals are audited", async () => {
    const records = [...(await readAuditTrail({ blobService: s.h.blobService })).chains.values()].flat();
    const refused = records.filter((x) => x.decision.code === "ERR_UNSOLICITED_RESPONSE");
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(refused.every((x) => x.decision.outcome === "denied")).toBe(true);
  });
});
