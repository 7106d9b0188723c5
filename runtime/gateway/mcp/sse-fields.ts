/**
 * The fields of an upstream SSE event besides `data` are relayed only in the shapes MCP uses
 * (issue 12, item 10): `event` absent or `message` (the SDK clients ignore any other type, so such
 * an event is dropped), `id` printable ASCII, short, and unchanged by masking (it comes back to
 * the gateway in Last-Event-ID; a value masking would alter is dropped rather than relayed),
 * `retry` digits.
 */
import type { SseEvent } from "../../core/mcp/sse-parser";
import { maskLabel } from "../../core/masking/mask-label";
import type { Masker } from "../../core/masking/masker";

const ID = /^[\x21-\x7e]{1,256}$/;
const RETRY = /^\d{1,9}$/;

/** The event as it may be relayed, or null to drop it. */
export function restrictSseFields(ev: SseEvent, masker: Masker, server: string): SseEvent | null {
  if (ev.event !== undefined && ev.event !== "message") return null;
  const out: SseEvent = { data: ev.data, hasData: ev.hasData, ...(ev.event !== undefined ? { event: ev.event } : {}) };
  if (
    ev.id !== undefined &&
    ID.test(ev.id) &&
    maskLabel(ev.id, masker, { server, tool: null, copy: "client" }) === ev.id
  )
    out.id = ev.id;
  if (ev.retry !== undefined && RETRY.test(ev.retry)) out.retry = ev.retry;
  return out;
}
