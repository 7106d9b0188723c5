import http from "node:http";
import net from "node:net";
import { readRawBody } from "../../../runtime/http/read-raw-body";
import { closeServers, listenOnLoopback } from "../../support/loopback-server";

/** A real server whose handler reads the body with a 1 KiB limit and reports what happened. */
describe("readRawBody on a real request", () => {
  let server: http.Server;
  let url: string;
  const outcomes: { bytes?: number; code?: string }[] = [];
  let settled: (() => void) | null = null;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      readRawBody(req, 1024).then(
        (body) => {
          outcomes.push({ bytes: body.length });
          res.end(body);
        },
        (e: { code?: string }) => {
          outcomes.push({ code: e.code });
          if (!res.destroyed) res.writeHead(413).end();
        },
      );
      req.once("close", () => setImmediate(() => settled?.()));
    });
    ({ server, url } = await listenOnLoopback(server));
  });
  afterAll(() => closeServers(server));
  beforeEach(() => (outcomes.length = 0));

  const post = (body: Buffer, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = http.request(url, { method: "POST", headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
      req.end(body);
    });

  test("returns the exact bytes, in one chunk or many", async () => {
    const body = Buffer.from([0xe2, 0x82, 0xac, 0x7b, 0x7d]); // bytes, not text
    expect((await post(body)).body.equals(body)).toBe(true);
    // Chunked: several writes without a Content-Length.
    const r = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(url, { method: "POST" }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks)));
      });
      req.on("error", reject);
      for (let i = 0; i < 10; i++) req.write("x".repeat(100));
      req.end();
    });
    expect(r.toString()).toBe("x".repeat(1000));
  });

  test("refuses a body over the limit, declared or streamed", async () => {
    expect((await post(Buffer.alloc(2000), { "content-length": "2000" })).status).toBe(413);
    expect(outcomes.pop()).toEqual({ code: "ERR_BODY_TOO_LARGE" });
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request(url, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write("y".repeat(100));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(outcomes.pop()).toEqual({ code: "ERR_BODY_TOO_LARGE" });
  });

  test("a client that goes away mid-body rejects the read instead of leaving it pending", async () => {
    const closed = new Promise<void>((resolve) => (settled = resolve));
    const { port } = new URL(url);
    const socket = net.connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nonly-part");
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await closed;
    settled = null;
    // Node reports the reset ("aborted", ECONNRESET) or, if the socket closes first, a premature close.
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].code).toMatch(/^(ECONNRESET|ERR_STREAM_PREMATURE_CLOSE)$/);
  });

  test("a stream already ended or destroyed answers at once", async () => {
    const ended = new http.IncomingMessage(new net.Socket());
    ended.push(null);
    ended.resume();
    await new Promise((r) => ended.once("end", r));
    await expect(readRawBody(ended, 10)).resolves.toHaveLength(0);
    const destroyed = new http.IncomingMessage(new net.Socket());
    destroyed.destroy();
    await expect(readRawBody(destroyed, 10)).rejects.toMatchObject({ code: "ERR_STREAM_PREMATURE_CLOSE" });
  });
});
