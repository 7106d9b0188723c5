/**
 * Attack: slowloris. A client sends its headers, or its body, one byte at a time to hold a
 * connection (and a handler) for as long as it likes. Headers must arrive within the headers
 * timeout and the body within the body timeout; past either, the answer is 408 and the
 * connection is closed. Raw sockets against the gateway served as the process serves it.
 */
import net from "node:net";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { startEdgeGateway, type EdgeGateway } from "./support/edge-gateway";

/** Sends `head` at once, then `trickle` one byte every 200 ms; resolves with what the server sent once it closes. */
function trickle(port: number, head: string, trickle: string, boundMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    let i = 0;
    const ticker = setInterval(() => {
      if (!socket.destroyed && i < trickle.length) socket.write(trickle[i++]);
    }, 200);
    const bound = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after ${boundMs} ms (${i} bytes trickled)`));
    }, boundMs);
    socket.on("data", (d) => (received += d.toString("utf8")));
    socket.on("error", () => undefined); // a reset after the 408 is the expected end
    socket.on("close", () => {
      clearInterval(ticker);
      clearTimeout(bound);
      resolve(received);
    });
    socket.write(head);
  });
}

describe("slowloris", () => {
  let h: Harness;
  let gw: EdgeGateway;
  let token: string;
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
    gw = await startEdgeGateway(
      h,
      "slowloris",
      { bodyTimeoutMs: 1500 },
      { headersTimeoutMs: 1500, bodyTimeoutMs: 1500 },
    );
    token = await h.token("alice");
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await h?.stop();
  });

  test("a body trickled byte by byte is cut with a 408 JSON-RPC error and the connection closed", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", padding: "x".repeat(200) });
    const head =
      `POST /mcp/everything HTTP/1.1\r\nHost: ${gw.host}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await trickle(gw.port, head, body);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const json = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as { error: { data: { code: string } } };
    expect(json.error.data.code).toBe("ERR_REQUEST_TIMEOUT");
  });

  test("headers trickled byte by byte are cut with 408 and the connection closed", async () => {
    const answer = await trickle(
      gw.port,
      `POST /mcp/everything HTTP/1.1\r\nHost: ${gw.host}\r\n`,
      "X-Slow: " + "a".repeat(500),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});
