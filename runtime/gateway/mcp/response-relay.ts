/**
 * Relays the agent's answer to the client: a JSON body, or an SSE stream forwarded event by event
 * as it arrives (headers flushed at once, `X-Accel-Buffering: no`, keep-alive comments, upstream
 * aborted when the client goes away). Each message goes through processUpstreamMessage; the final
 * response is audited (awaited) before the client receives it — an audit failure replaces it with
 * ERR_AUDIT_UNAVAILABLE (fail closed).
 *
 * Upstream bytes are decoded by their declared charset before masking, or refused (body-charset.ts);
 * an upstream answer that is not JSON-RPC (an HTML error page with a stack trace) becomes a
 * JSON-RPC error, never relayed; a stream that ends without answering the request becomes one too.
 */
import { once } from "node:events";
import type { Response as ExpressResponse } from "express";
import { GatehouseError } from "../../core/errors";
import { decodeUpstreamText, upstreamStreamDecoder } from "../../core/mcp/body-charset";
import type { RequestId } from "../../core/mcp/jsonrpc";
import { SseParser, formatSseEvent, type SseEvent } from "../../core/mcp/sse-parser";
import { logger } from "../../core/telemetry/logger";
import { rejectionBody } from "../send-rejection";
import type { GatewayDeps } from "../gateway-deps";
import type { CallContext } from "./call-context";
import { restrictSseFields } from "./sse-fields";
import { processUpstreamMessage, type AnsweredIds, type ProcessedMessage } from "./upstream-message";

const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** Room for the event's field names and JSON-RPC framing beyond the largest scannable result. */
const EVENT_OVERHEAD_CHARS = 64 * 1024;

export interface RelayOptions {
  /** The id of the client's request this response answers; null for GET streams and notifications. */
  readonly requestId: RequestId | null;
  /** The gateway-owned id the upstream saw for that request (upstream-ids.ts). */
  readonly upstreamRequestId: RequestId | null;
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
  // initialize: the session starts with this answer; server requests relayed in it are bound to it.
  if (sid && ctx.upstreamSessionId === null) ctx.upstreamSessionId = sid;
  const pv = upstream.headers.get("mcp-protocol-version");
  if (pv && !res.headersSent) res.setHeader("mcp-protocol-version", pv);
  const type = upstream.headers.get("content-type");
  if ((type ?? "").toLowerCase().startsWith("text/event-stream") && upstream.body) return relaySse(deps, ctx, upstream, res, opts);
  return relayJson(deps, ctx, upstream, res, opts, type);
}

const idsOf = (opts: RelayOptions): AnsweredIds => ({ client: opts.requestId, upstream: opts.upstreamRequestId });

async function finalize(processed: ProcessedMessage, opts: RelayOptions): Promise<unknown> {
  if (!processed.final) return processed.client;
  try {
    await opts.onFinal(processed.final);
    return processed.client;
  } catch (e) {
    return rejectionBody(e instanceof GatehouseError ? e : new GatehouseError("ERR_AUDIT_UNAVAILABLE", "Audit unavailable"), opts.requestId).body;
  }
}

/** An upstream answer the gateway will not relay: a JSON-RPC error in its place, audited as the response. */
function refusedAnswer(err: GatehouseError, opts: RelayOptions): ProcessedMessage {
  const { body } = rejectionBody(err, opts.requestId);
  return { client: body, final: { decision: { outcome: "error", code: err.code, reason: err.message }, result: { status: "error", errorCode: body.error.code } } };
}

async function relayJson(deps: GatewayDeps, ctx: CallContext, upstream: Response, res: ExpressResponse, opts: RelayOptions, type: string | null): Promise<RelayOutcome> {
  const bytes = upstream.body ? await readLimited(upstream.body, MAX_JSON_BYTES) : Buffer.alloc(0);
  let value: unknown;
  let refusal: GatehouseError | null = null;
  if (bytes === null) refusal = new GatehouseError("ERR_RESULT_WITHHELD", "Result withheld: it is too large to be scanned for sensitive data");
  else if (bytes.length > 0) {
    try {
      if (!(type ?? "").toLowerCase().includes("json")) throw new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "Bad gateway: the MCP server answered with something other than JSON");
      value = JSON.parse(decodeUpstreamText(type, bytes));
    } catch (e) {
      refusal = e instanceof GatehouseError ? e : new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "Bad gateway: the MCP server's answer is not valid JSON");
    }
  }
  if (res.headersSent) {
    // An approval wait already opened an SSE stream: the JSON answer becomes its event.
    const processed = refusal ? refusedAnswer(refusal, opts) : value === undefined ? { client: null } : processUpstreamMessage(deps, ctx, value, idsOf(opts));
    const out = await finalize(processed, opts);
    if (out !== null) await writeChunk(res, formatSseEvent({ event: "message", data: JSON.stringify(out), hasData: true }));
    res.end();
    return { finalSeen: !!processed.final };
  }
  res.setHeader("cache-control", "private, no-store");
  if (refusal) {
    // Never the upstream's text (an error page may carry a stack trace or data): the status class only.
    logger.warn("upstream answer not relayed", { event: "gateway.upstream_bad_answer", server: ctx.server, status: upstream.status, code: refusal.code });
    const out = await finalize(refusedAnswer(refusal, opts), opts);
    const status = refusal.code === "ERR_RESULT_WITHHELD" ? 200 : upstream.status >= 400 && upstream.status < 500 ? upstream.status : 502;
    res.status(status).json(out);
    return { finalSeen: true };
  }
  if (value === undefined) {
    res.status(upstream.status).end();
    return { finalSeen: false };
  }
  let processed = processUpstreamMessage(deps, ctx, value, idsOf(opts));
  // A JSON answer that is not the answer to this request (another id) is refused in its place.
  if (processed.client === null && opts.requestId === null) {
    res.status(upstream.status).end();
    return { finalSeen: false };
  }
  if (processed.client === null) processed = refusedAnswer(new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "Bad gateway: the MCP server's answer does not answer this request"), opts);
  const out = await finalize(processed, opts);
  res.status(out !== processed.client ? 503 : upstream.status).json(out);
  return { finalSeen: !!processed.final };
}

async function relaySse(deps: GatewayDeps, ctx: CallContext, upstream: Response, res: ExpressResponse, opts: RelayOptions): Promise<RelayOutcome> {
  const parser = new SseParser({
    decoder: upstreamStreamDecoder(upstream.headers.get("content-type")),
    maxEventChars: ctx.policy.bundle.maskingSettings.maxScanBytes + EVENT_OVERHEAD_CHARS,
  });
  setSseHeaders(res, upstream.status);
  const keepAlive = setInterval(() => void writeChunk(res, ": keep-alive\n\n"), opts.keepAliveMs);
  let finalSeen = false;
  let resumable = false;
  const emit = async (raw: SseEvent): Promise<void> => {
    const ev = restrictSseFields(raw, deps.masker, ctx.server);
    if (!ev) return;
    if (ev.id !== undefined) resumable = true;
    // Priming events (id/retry, empty data) carry resumability state: passed through as they are.
    if (!ev.hasData || ev.data.trim() === "") return ev.id !== undefined || ev.retry !== undefined ? writeChunk(res, formatSseEvent(ev)) : undefined;
    let value: unknown;
    try {
      value = JSON.parse(ev.data);
    } catch {
      return; // unscannable data never reaches the client
    }
    const processed = processUpstreamMessage(deps, ctx, value, idsOf(opts));
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
  } catch (e) {
    // A broken or oversized stream: stop reading the upstream; the caller answers with the error.
    await reader.cancel().catch((err: unknown) => logger.debug("upstream stream cancel failed", { event: "gateway.sse_cancel_failed", error: (err as Error).name }));
    throw e;
  } finally {
    clearInterval(keepAlive);
    reader.releaseLock();
  }
  // The upstream ended the stream without answering (and without an event id to resume from).
  if (!finalSeen && opts.requestId !== null && !resumable) {
    throw new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "Bad gateway: the MCP server ended the stream without answering the request");
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
