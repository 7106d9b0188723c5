/**
 * Relays the agent's answer to the client: a JSON body, or an SSE stream forwarded event by event
 * as it arrives (headers flushed at once, `X-Accel-Buffering: no`, keep-alive comments, upstream
 * aborted when the client goes away). Each message goes through processUpstreamMessage; the final
 * response is audited (awaited) before the client receives it — an audit failure replaces it with
 * ERR_AUDIT_UNAVAILABLE (fail closed).
 */
import { once } from "node:events";
import type { Response as ExpressResponse } from "express";
import { GatehouseError } from "../../core/errors";
import type { RequestId } from "../../core/mcp/jsonrpc";
import { SseParser, formatSseEvent, type SseEvent } from "../../core/mcp/sse-parser";
import { rejectionBody } from "../send-rejection";
import type { GatewayDeps } from "../gateway-deps";
import type { CallContext } from "./call-context";
import { processUpstreamMessage, type ProcessedMessage } from "./upstream-message";

const MAX_JSON_BYTES = 64 * 1024 * 1024;

export interface RelayOptions {
  /** The id of the client's request this response answers; null for GET streams and notifications. */
  readonly requestId: RequestId | null;
  /** Audits the final response; throwing means the response must not be delivered. */
  readonly onFinal: (final: NonNullable<ProcessedMessage["final"]>) => Promise<void>;
  /** Maps the upstream Mcp-Session-Id to what the client sees. */
  readonly sealSession: (upstreamSessionId: string) => string;
  readonly keepAliveMs: number;
}

export interface RelayOutcome {
  finalSeen: boolean;
}

export function setSseHeaders(res: ExpressResponse, status = 200): void {
  if (res.headersSent) return;
  res.status(status);
  res.setHeader("content-type", "text/event-stream");
  res.setHeader("cache-control", "private, no-store, no-transform");
  res.setHeader("x-accel-buffering", "no");
  res.setHeader("connection", "keep-alive");
  res.flushHeaders();
}

export async function writeChunk(res: ExpressResponse, chunk: string): Promise<void> {
  if (res.writableEnded || res.destroyed) return;
  if (!res.write(chunk)) await Promise.race([once(res, "drain"), once(res, "close")]);
}

export async function relayResponse(deps: GatewayDeps, ctx: CallContext, upstream: Response, res: ExpressResponse, opts: RelayOptions): Promise<RelayOutcome> {
  const sid = upstream.headers.get("mcp-session-id");
  if (sid && !res.headersSent) res.setHeader("mcp-session-id", opts.sealSession(sid));
  const pv = upstream.headers.get("mcp-protocol-version");
  if (pv && !res.headersSent) res.setHeader("mcp-protocol-version", pv);
  const type = (upstream.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("text/event-stream") && upstream.body) return relaySse(deps, ctx, upstream, res, opts);
  return relayJson(deps, ctx, upstream, res, opts, type);
}

async function finalize(processed: ProcessedMessage, opts: RelayOptions): Promise<unknown> {
  if (!processed.final) return processed.client;
  try {
    await opts.onFinal(processed.final);
    return processed.client;
  } catch (e) {
    return rejectionBody(e instanceof GatehouseError ? e : new GatehouseError("ERR_AUDIT_UNAVAILABLE", "Audit unavailable"), opts.requestId).body;
  }
}

async function relayJson(deps: GatewayDeps, ctx: CallContext, upstream: Response, res: ExpressResponse, opts: RelayOptions, type: string): Promise<RelayOutcome> {
  const bytes = upstream.body ? await readLimited(upstream.body, MAX_JSON_BYTES) : Buffer.alloc(0);
  if (res.headersSent) {
    // An approval wait already opened an SSE stream: the JSON answer becomes its event.
    return relayBufferedIntoSse(deps, ctx, bytes, res, opts);
  }
  res.setHeader("cache-control", "private, no-store");
  if (bytes === null) {
    const err = new GatehouseError("ERR_RESULT_WITHHELD", "Result withheld: it is too large to be scanned for sensitive data");
    const { body } = rejectionBody(err, opts.requestId);
    const out = await finalize({ client: body, final: { decision: { outcome: "error", code: err.code, reason: err.message }, result: { status: "withheld", errorCode: body.error.code } } }, opts);
    res.status(200).json(out);
    return { finalSeen: true };
  }
  if (bytes.length === 0) {
    res.status(upstream.status).end();
    return { finalSeen: false };
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    value = undefined;
  }
  if (value === undefined || !type.includes("json")) {
    // Not JSON-RPC (a plain-text error of an upstream): masked text, same status.
    const text = deps.masker.maskText(bytes.toString("utf8"), { server: ctx.server, tool: null, copy: "client" }).value;
    res.status(upstream.status).type("text/plain").send(text);
    return { finalSeen: false };
  }
  const processed = processUpstreamMessage(deps, ctx, value, opts.requestId);
  const out = await finalize(processed, opts);
  res.status(out !== processed.client ? 503 : upstream.status).json(out);
  return { finalSeen: !!processed.final };
}

async function relayBufferedIntoSse(deps: GatewayDeps, ctx: CallContext, bytes: Buffer | null, res: ExpressResponse, opts: RelayOptions): Promise<RelayOutcome> {
  let value: unknown = null;
  try {
    value = bytes ? JSON.parse(bytes.toString("utf8")) : null;
  } catch {
    value = null;
  }
  const processed = value === null ? { client: null } : processUpstreamMessage(deps, ctx, value, opts.requestId);
  const out = await finalize(processed, opts);
  if (out !== null) await writeChunk(res, formatSseEvent({ event: "message", data: JSON.stringify(out), hasData: true }));
  res.end();
  return { finalSeen: !!processed.final };
}

async function relaySse(deps: GatewayDeps, ctx: CallContext, upstream: Response, res: ExpressResponse, opts: RelayOptions): Promise<RelayOutcome> {
  setSseHeaders(res, upstream.status);
  const keepAlive = setInterval(() => void writeChunk(res, ": keep-alive\n\n"), opts.keepAliveMs);
  const parser = new SseParser();
  let finalSeen = false;
  const emit = async (ev: SseEvent): Promise<void> => {
    // Priming events (id/retry, empty data) carry resumability state: passed through as they are.
    if (!ev.hasData || ev.data.trim() === "") return writeChunk(res, formatSseEvent(ev));
    let value: unknown;
    try {
      value = JSON.parse(ev.data);
    } catch {
      return; // unscannable data never reaches the client
    }
    const processed = processUpstreamMessage(deps, ctx, value, opts.requestId);
    const out = await finalize(processed, opts);
    if (processed.final) finalSeen = true;
    if (out === null) return;
    await writeChunk(res, formatSseEvent({ ...ev, data: JSON.stringify(out) }));
  };
  const reader = upstream.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const ev of parser.push(value)) await emit(ev);
    }
    for (const ev of parser.end()) await emit(ev);
  } finally {
    clearInterval(keepAlive);
    reader.releaseLock();
  }
  if (!res.writableEnded) res.end();
  return { finalSeen };
}

async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
