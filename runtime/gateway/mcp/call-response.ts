/**
 * The client's side of one MCP exchange, and the one owner of "an SSE stream may already be open"
 * (issue 14, item 2): an approval wait may open the stream before the upstream answers, the
 * upstream may answer with a stream, and a refusal may come at any point. Once the stream is
 * open, JSON answers and refusals become its events; before, they are ordinary JSON responses.
 */
import { once } from "node:events";
import type { Response } from "express";
import type { RequestId } from "../../core/mcp/jsonrpc";
import { formatSseEvent, type SseEvent } from "../../core/mcp/sse-parser";
import { rejectionBody, sendRejection } from "../../http/send-rejection";
import { flushHeadersSoon } from "../../http/deferred-headers";

export class CallResponse {
  /** openStream was called: its headers are set, and sent with the first event or shortly after. */
  private opened = false;

  constructor(readonly res: Response) {}

  /** The SSE stream is open (its headers are set or sent): everything else goes out as its events. */
  get streaming(): boolean {
    return this.opened || this.res.headersSent;
  }

  /** Nothing more can be written (the client went away or the response ended). */
  get finished(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }

  /**
   * Opens the SSE stream, unless it is open already: no proxy buffering; the headers go out with
   * the first event, or on their own if none comes soon (deferred-headers.ts).
   */
  openStream(status = 200): void {
    if (this.streaming) return;
    this.opened = true;
    this.res.status(status);
    this.res.setHeader("content-type", "text/event-stream");
    this.res.setHeader("cache-control", "private, no-store, no-transform");
    this.res.setHeader("x-accel-buffering", "no");
    this.res.setHeader("connection", "keep-alive");
    flushHeadersSoon(this.res);
  }

  /** Writes raw stream text (an event, a comment), waiting for the client to drain. */
  async write(chunk: string): Promise<void> {
    if (this.finished) return;
    if (!this.res.write(chunk)) await Promise.race([once(this.res, "drain"), once(this.res, "close")]);
  }

  /** One JSON-RPC message as a `message` event (extra SSE fields as given). */
  event(message: unknown, fields: Omit<SseEvent, "data" | "hasData"> = { event: "message" }): Promise<void> {
    return this.write(formatSseEvent({ ...fields, data: JSON.stringify(message), hasData: true }));
  }

  /** A JSON answer: its own response, or the stream's last event once the stream is open. */
  async answer(status: number, message: unknown): Promise<void> {
    if (this.streaming) {
      await this.event(message);
      this.end();
      return;
    }
    this.res.status(status).json(message);
  }

  /** A refusal: the JSON-RPC error response, or the stream's last event once the stream is open. */
  reject(err: unknown, id: RequestId | null): void {
    if (!this.streaming) return void sendRejection(this.res, err, { id });
    const { body, error } = rejectionBody(err, id);
    this.res.locals.refusal = error;
    if (!this.finished) this.res.end(formatSseEvent({ event: "message", data: JSON.stringify(body), hasData: true }));
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
