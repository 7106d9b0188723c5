/**
 * Relays the agent's answer to the client: a JSON body, or an SSE stream forwarded event by event
 * as it arrives (headers sent with the first event or within 100 ms, keep-alive comments, upstream aborted when the client
 * goes away). Each message goes through processUpstreamMessage; the final response is recorded
 * (awaited) before the client receives it — a record that cannot be written replaces it with
 * ERR_AUDIT_UNAVAILABLE (fail closed).
 *
 * Upstream bytes are decoded by their declared charset before masking, or refused (body-charset.ts);
 * an upstream answer that is not JSON-RPC (an HTML error page with a stack trace) becomes a
 * JSON-RPC error, never relayed; a stream that ends without answering the request becomes one too.
 * An SSE event whose data is not JSON is not relayed either: it is counted, logged and noted on
 * the call's response record (CallRecorder.dropped).
 */
import { GatehouseError } from "../../core/errors";
import { decodeUpstreamText, upstreamStreamDecoder } from "../../core/mcp/body-charset";
import type { RequestId } from "../../core/mcp/jsonrpc";
import type { SessionSealer } from "../../core/mcp/session-envelope";
import { SseParser, formatSseEvent, type SseEvent } from "../../core/mcp/sse-parser";
import { logger } from "../../core/telemetry/logger";
import { gatehouseMetrics } from "../../core/telemetry/metrics";
import { rejectionBody } from "../../http/send-rejection";
import type { CallContext } from "./call-context";
import type { CallRecorder } from "./call-recorder";
import type { CallResponse } from "./call-response";
import { restrictSseFields } from "./sse-fields";
import { withEditNotice } from "./edited-result";
import type { ToolCatalog } from "../../core/approvals/tool-catalog";
import type { AgentAnswer } from "./agent-client";
import { processUpstreamMessage, type AnsweredIds, type ProcessedMessage } from "./upstream-message";

const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** Room for the event's field names and JSON-RPC framing beyond the largest scannable result. */
const EVENT_OVERHEAD_CHARS = 64 * 1024;

export interface RelayOptions {
  /** The id of the client's request this response answers; null for GET streams and notifications. */
  readonly requestId: RequestId | null;
  /** The gateway-owned id the upstream saw for that request (upstream-ids.ts). */
  readonly upstreamRequestId: RequestId | null;
  /** Seals the upstream Mcp-Session-Id and the ids of server requests relayed to the client. */
  readonly sessions: SessionSealer;
  /** Remembers the (masked) tools of a tools/list result for approval requests. */
  readonly tools?: ToolCatalog;
  readonly keepAliveMs: number;
}

export interface RelayOutcome {
  finalSeen: boolean;
}

/** What one relay needs: the call, its recorder, the client's response, and the options. */
interface Relay {
  readonly ctx: CallContext;
  readonly recorder: CallRecorder;
  readonly response: CallResponse;
  readonly opts: RelayOptions;
}

export async function relayResponse(
  ctx: CallContext,
  recorder: CallRecorder,
  response: CallResponse,
  upstream: AgentAnswer,
  opts: RelayOptions,
): Promise<RelayOutcome> {
  const { res } = response;
  const sid = upstream.header("mcp-session-id");
  if (sid && !response.streaming) {
    res.setHeader(
      "mcp-session-id",
      opts.sessions.seal({
        u: sid,
        oid: ctx.identity.oid,
        s: ctx.server,
        a: ctx.agent,
        g: ctx.identity.jit?.grantId ?? null,
        // Only when declared: envelopes of clients without it stay as they were.
        ...(ctx.clientElicitation ? { e: true } : {}),
      }),
    );
  }
  // initialize: the session starts with this answer; server requests relayed in it are bound to it.
  if (sid && ctx.upstreamSessionId === null) ctx.upstreamSessionId = sid;
  const pv = upstream.header("mcp-protocol-version");
  if (pv && !response.streaming) res.setHeader("mcp-protocol-version", pv);
  const type = upstream.header("content-type");
  const relay: Relay = { ctx, recorder, response, opts };
  if ((type ?? "").toLowerCase().startsWith("text/event-stream") && upstream.body) return relaySse(relay, upstream);
  return relayJson(relay, upstream, type);
}

const idsOf = (opts: RelayOptions): AnsweredIds => ({ client: opts.requestId, upstream: opts.upstreamRequestId });

function processOne(r: Relay, value: unknown): ProcessedMessage {
  return processUpstreamMessage(r.ctx, value, idsOf(r.opts), r.opts.sessions, r.opts.tools);
}

/**
 * Records the final response (if this is it) before it is delivered: what the client gets, and
 * whether it is the refusal that replaced the answer because its record could not be written.
 */
async function finalizeOutcome(r: Relay, processed: ProcessedMessage): Promise<{ out: unknown; refused: boolean }> {
  if (!processed.final) return { out: processed.client, refused: false };
  try {
    await r.recorder.response(processed.final.decision, processed.final.result);
    // A call an approver edited says so in its result (issue 20, item 1).
    return { out: r.ctx.edited ? withEditNotice(processed.client, r.ctx.edited) : processed.client, refused: false };
  } catch (e) {
    const err = e instanceof GatehouseError ? e : new GatehouseError("ERR_AUDIT_UNAVAILABLE", "Audit unavailable");
    return { out: rejectionBody(err, r.opts.requestId).body, refused: true };
  }
}

async function finalize(r: Relay, processed: ProcessedMessage): Promise<unknown> {
  return (await finalizeOutcome(r, processed)).out;
}

/** An upstream answer the gateway will not relay: a JSON-RPC error in its place, recorded as the response. */
function refusedAnswer(err: GatehouseError, opts: RelayOptions): ProcessedMessage {
  const { body } = rejectionBody(err, opts.requestId);
  return {
    client: body,
    final: {
      decision: { outcome: "error", code: err.code, reason: err.message },
      result: { status: "error", errorCode: body.error.code },
    },
  };
}

async function relayJson(r: Relay, upstream: AgentAnswer, type: string | null): Promise<RelayOutcome> {
  const { ctx, response, opts } = r;
  const bytes = upstream.body ? await readLimited(upstream.body, MAX_JSON_BYTES) : Buffer.alloc(0);
  let value: unknown;
  let refusal: GatehouseError | null = null;
  if (bytes === null)
    refusal = new GatehouseError(
      "ERR_RESULT_WITHHELD",
      "Result withheld: it is too large to be scanned for sensitive data",
    );
  else if (bytes.length > 0) {
    try {
      if (!(type ?? "").toLowerCase().includes("json"))
        throw new GatehouseError(
          "ERR_UPSTREAM_BAD_RESPONSE",
          "Bad gateway: the MCP server answered with something other than JSON",
        );
      value = JSON.parse(decodeUpstreamText(type, bytes));
    } catch (e) {
      refusal =
        e instanceof GatehouseError
          ? e
          : new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "Bad gateway: the MCP server's answer is not valid JSON");
    }
  }
  if (response.streaming) {
    // An approval wait already opened an SSE stream: the JSON answer becomes its event.
    const processed = refusal
      ? refusedAnswer(refusal, opts)
      : value === undefined
        ? { client: null }
        : processOne(r, value);
    const out = await finalize(r, processed);
    if (out !== null) await response.event(out);
    response.end();
    return { finalSeen: !!processed.final };
  }
  response.res.setHeader("cache-control", "private, no-store");
  if (refusal) {
    // Never the upstream's text (an error page may carry a stack trace or data): the status class only.
    logger.warn("upstream answer not relayed", {
      event: "gateway.upstream_bad_answer",
      server: ctx.server,
      status: upstream.status,
      code: refusal.code,
    });
    const out = await finalize(r, refusedAnswer(refusal, opts));
    const status =
      refusal.code === "ERR_RESULT_WITHHELD"
        ? 200
        : upstream.status >= 400 && upstream.status < 500
          ? upstream.status
          : 502;
    await response.answer(status, out);
    return { finalSeen: true };
  }
  if (value === undefined) {
    response.res.status(upstream.status).end();
    return { finalSeen: false };
  }
  let processed = processOne(r, value);
  // A JSON answer that is not the answer to this request (another id) is refused in its place.
  if (processed.client === null && opts.requestId === null) {
    response.res.status(upstream.status).end();
    return { finalSeen: false };
  }
  if (processed.client === null)
    processed = refusedAnswer(
      new GatehouseError(
        "ERR_UPSTREAM_BAD_RESPONSE",
        "Bad gateway: the MCP server's answer does not answer this request",
      ),
      opts,
    );
  // 503 only when the answer was replaced because its record could not be written (an edited
  // call's result is a new object too, and is answered with the upstream's status).
  const { out, refused } = await finalizeOutcome(r, processed);
  await response.answer(refused ? 503 : upstream.status, out);
  return { finalSeen: !!processed.final };
}

async function relaySse(r: Relay, upstream: AgentAnswer): Promise<RelayOutcome> {
  const { ctx, response, opts } = r;
  const parser = new SseParser({
    decoder: upstreamStreamDecoder(upstream.header("content-type")),
    maxEventChars: ctx.policy.bundle.maskingSettings.maxScanBytes + EVENT_OVERHEAD_CHARS,
  });
  response.openStream(upstream.status);
  const keepAlive = setInterval(() => void response.write(": keep-alive\n\n"), opts.keepAliveMs);
  let finalSeen = false;
  let resumable = false;
  const emit = async (raw: SseEvent): Promise<void> => {
    const ev = restrictSseFields(raw, ctx.masker, ctx.server);
    if (!ev) return;
    if (ev.id !== undefined) resumable = true;
    // Priming events (id/retry, empty data) carry resumability state: passed through as they are.
    if (!ev.hasData || ev.data.trim() === "")
      return ev.id !== undefined || ev.retry !== undefined ? response.write(formatSseEvent(ev)) : undefined;
    let value: unknown;
    try {
      value = JSON.parse(ev.data);
    } catch {
      // Unscannable data never reaches the client; never silently either (issue 14, item 8).
      gatehouseMetrics.denial({ server: ctx.server, code: "ERR_UPSTREAM_BAD_RESPONSE" });
      logger.warn("upstream event not relayed: its data is not JSON", {
        event: "gateway.upstream_event_dropped",
        server: ctx.server,
        correlationId: ctx.correlationId,
      });
      r.recorder.dropped("non_json_event");
      return;
    }
    const processed = processOne(r, value);
    const out = await finalize(r, processed);
    if (processed.final) finalSeen = true;
    if (out === null) return;
    // A read-only call's deferred request record is durable before anything of the call reaches the client.
    if (!processed.final) await r.recorder.beforeRelay();
    await response.write(formatSseEvent({ ...ev, data: JSON.stringify(out) }));
  };
  const body = upstream.body!;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) for (const ev of parser.push(chunk)) await emit(ev);
    for (const ev of parser.end()) await emit(ev);
  } catch (e) {
    // A broken or oversized stream: stop reading the upstream; the caller answers with the error.
    body.destroy();
    throw e;
  } finally {
    clearInterval(keepAlive);
  }
  // The upstream ended the stream without answering (and without an event id to resume from).
  if (!finalSeen && opts.requestId !== null && !resumable) {
    throw new GatehouseError(
      "ERR_UPSTREAM_BAD_RESPONSE",
      "Bad gateway: the MCP server ended the stream without answering the request",
    );
  }
  response.end();
  return { finalSeen };
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
