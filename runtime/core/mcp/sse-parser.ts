/**
 * Incremental Server-Sent Events parser (WHATWG event-stream rules) that keeps every field of an
 * event, so the gateway can mask `data` and re-emit the event with the same `id` and `retry`
 * (resumability with Last-Event-ID keeps working through the gateway).
 *
 * Linear in the stream's size: each character is looked at once (a rescan of the pending line on
 * every chunk made a 16 MB event cost 32 s of CPU, issue 12 item 9), and bounded: an event larger
 * than `maxEventChars` is refused with ERR_UPSTREAM_BAD_RESPONSE instead of being buffered.
 */
import { TextDecoder } from "node:util";
import { GatehouseError } from "../errors";

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
  retry?: string;
  /** True when the event had `data` lines (an event with only id/retry is a priming event). */
  hasData: boolean;
}

export interface SseParserOptions {
  /** Largest event (its field lines, in characters) accepted. @default 16 MiB */
  readonly maxEventChars?: number;
  /** Decodes the stream's bytes. @default a strict UTF-8 decoder */
  readonly decoder?: TextDecoder;
}

const CR = 13;
const LF = 10;
export const DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024;

export class SseParser {
  /** Pieces of the unfinished line (joined once, when it ends: appending to one string and scanning it made V8 flatten it on every chunk). */
  private pending: string[] = [];
  private pendingChars = 0;
  /** The last chunk ended with \r: a \n starting the next one belongs to it. */
  private skipLF = false;
  private current: SseEvent = { data: "", hasData: false };
  private dataLines: string[] = [];
  /** Characters of the current event's completed lines. */
  private eventChars = 0;
  private readonly decoder: TextDecoder;
  private readonly maxEventChars: number;

  constructor(opts: SseParserOptions = {}) {
    this.decoder = opts.decoder ?? new TextDecoder("utf-8", { fatal: true });
    this.maxEventChars = opts.maxEventChars ?? DEFAULT_MAX_EVENT_CHARS;
  }

  /** Feeds bytes; returns the events completed by them. Comments are dropped (the gateway sends its own keep-alives). */
  push(chunk: Uint8Array): SseEvent[] {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw new GatehouseError(
        "ERR_UPSTREAM_BAD_RESPONSE",
        "Bad gateway: the MCP server's event stream is not valid UTF-8",
      );
    }
    const out: SseEvent[] = [];
    let start = 0;
    if (this.skipLF && text.length > 0) {
      if (text.charCodeAt(0) === LF) start = 1;
      this.skipLF = false;
    }
    // The next CR and LF found with indexOf (native), not a charCodeAt loop: a 100 KB event is one
    // line, and looking at each of its characters in JavaScript showed in the 100 KB profile.
    let nextCR = text.indexOf("\r", start);
    let nextLF = text.indexOf("\n", start);
    for (let i = start; ;) {
      if (nextCR !== -1 && nextCR < i) nextCR = text.indexOf("\r", i);
      if (nextLF !== -1 && nextLF < i) nextLF = text.indexOf("\n", i);
      if (nextCR === -1 && nextLF === -1) break;
      i = nextCR === -1 ? nextLF : nextLF === -1 ? nextCR : Math.min(nextCR, nextLF);
      const c = text.charCodeAt(i);
      const piece = text.slice(start, i);
      const line = this.pending.length === 0 ? piece : this.pending.join("") + piece;
      this.pending = [];
      this.pendingChars = 0;
      const ev = this.line(line);
      if (ev) out.push(ev);
      if (c === CR) {
        if (i + 1 === text.length) this.skipLF = true;
        else if (text.charCodeAt(i + 1) === LF) i++;
      }
      start = ++i;
    }
    if (start < text.length) {
      this.pending.push(text.slice(start));
      this.pendingChars += text.length - start;
    }
    if (this.eventChars + this.pendingChars > this.maxEventChars) {
      this.pending = [];
      this.pendingChars = 0;
      throw new GatehouseError(
        "ERR_UPSTREAM_BAD_RESPONSE",
        `Bad gateway: an event of the MCP server's stream exceeds ${this.maxEventChars} characters`,
        { limit: this.maxEventChars },
      );
    }
    return out;
  }

  /** Flushes a final event not followed by a blank line. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.pending.length > 0) {
      const ev = this.line(this.pending.join(""));
      if (ev) out.push(ev);
      this.pending = [];
      this.pendingChars = 0;
    }
    const ev = this.line("");
    if (ev) out.push(ev);
    return out;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      const ev = this.current;
      ev.data = this.dataLines.join("\n");
      this.current = { data: "", hasData: false };
      this.dataLines = [];
      this.eventChars = 0;
      return ev.hasData || ev.id !== undefined || ev.retry !== undefined ? ev : null;
    }
    this.eventChars += line.length + 1;
    if (this.eventChars > this.maxEventChars) {
      throw new GatehouseError(
        "ERR_UPSTREAM_BAD_RESPONSE",
        `Bad gateway: an event of the MCP server's stream exceeds ${this.maxEventChars} characters`,
        { limit: this.maxEventChars },
      );
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.dataLines.push(value);
      this.current.hasData = true;
    } else if (field === "id") this.current.id = value;
    else if (field === "event") this.current.event = value;
    else if (field === "retry") this.current.retry = value;
    return null;
  }
}

/** Serialises an event; multi-line data becomes several `data:` lines. */
export function formatSseEvent(ev: SseEvent): string {
  let s = "";
  if (ev.event !== undefined) s += `event: ${ev.event}\n`;
  if (ev.id !== undefined) s += `id: ${ev.id}\n`;
  if (ev.retry !== undefined) s += `retry: ${ev.retry}\n`;
  if (ev.hasData) for (const l of ev.data.split("\n")) s += `data: ${l}\n`;
  return s + "\n";
}
