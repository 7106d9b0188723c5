import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { openSse, startHostileUpstream, type HostileUpstream } from "./support/hostile-upstream";
import { rawPost } from "./support/gateway-client";
import { SseParser } from "../../runtime/core/mcp/sse-parser";

/**
 * Attack: an upstream sends one enormous SSE event (issue 12, item 9). The parser rescanned the
 * pending text on every chunk (16 MB: 32 s of CPU) and buffered without bound. Defence: a linear
 * parser with a per-event cap (the policy's largest scannable size plus framing); past it the
 * client gets ERR_UPSTREAM_BAD_RESPONSE and the upstream stream is dropped.
 */
const MAX_SCAN = 256 * 1024;

describe("SSE event flood", () => {
  let h: Harness;
  let up: HostileUpstream;
  let token: string;
  beforeAll(async () => {
    up = await startHostileUpstream((msg, res) => {
      const send = openSse(res);
      // 2 MiB of one data line, in 64 KiB writes, never ending the event.
      const chunk = "A".repeat(64 * 1024);
      res.write(`data: {"jsonrpc":"2.0","id":${JSON.stringify(msg.id)},"result":{"x":"`);
      let n = 0;
      const pump = () => {
        while (n < 32 && !res.destroyed) {
          n++;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        if (!res.destroyed) send(`"}}`);
        res.end();
      };
      pump();
    });
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [{ name: "flood", transport: { type: "http", url: up.url } }],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["flood"],
          tools: { allow: ["*"] },
        },
      ],
      maskingSettings: { maxScanBytes: MAX_SCAN },
    }));
    token = await h.token("alice");
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await up?.stop();
  });

  test("an event larger than the cap is refused with ERR_UPSTREAM_BAD_RESPONSE", async () => {
    const r = await rawPost(
      h,
      "flood",
      token,
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "big", arguments: {} } }),
    );
    expect(r.json?.id).toBe(1);
    expect(r.json?.error?.data?.code).toBe("ERR_UPSTREAM_BAD_RESPONSE");
    expect(r.text.length).toBeLessThan(MAX_SCAN);
  });

  test("the parser refuses an oversized event however it is chunked, and parses the same events whatever the chunking", () => {
    const p = new SseParser({ maxEventChars: 1000 });
    expect(() => {
      for (let i = 0; i < 20; i++) p.push(Buffer.from("data: " + "x".repeat(100)));
    }).toThrow(expect.objectContaining({ code: "ERR_UPSTREAM_BAD_RESPONSE" }));
    const many = new SseParser({ maxEventChars: 1000 });
    expect(() => many.push(Buffer.from(`${"data: y\n".repeat(200)}\n`))).toThrow(
      expect.objectContaining({ code: "ERR_UPSTREAM_BAD_RESPONSE" }),
    );
    const stream = "id: 1\r\ndata: a\r\ndata: b\r\n\r\n: comment\nevent: message\ndata: c\n\ndata: d\r\r\n";
    const whole = new SseParser().push(Buffer.from(stream));
    const bytewise = new SseParser();
    const events = [...Buffer.from(stream)].flatMap((b) => bytewise.push(Buffer.from([b])));
    expect(events).toEqual(whole);
    expect(whole.map((e) => e.data)).toEqual(["a\nb", "c", "d"]);
  });
});
