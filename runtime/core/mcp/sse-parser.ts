/**
 * Incremental Server-Sent Events parser (WHATWG event-stream rules) that keeps every field of an
 * event, so the gateway can mask `data` and re-emit the event with the same `id` and `retry`
 * (resumability with Last-Event-ID keeps working through the gateway).
 */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
  retry?: string;
  /** True when the event had `data` lines (an event with only id/retry is a priming event). */
  hasData: boolean;
}

export class SseParser {
  private buffer = "";
  private current: SseEvent = { data: "", hasData: false };
  private dataLines: string[] = [];
  private readonly decoder = new TextDecoder();

  /** Feeds bytes; returns the events completed by them. Comments are dropped (the gateway sends its own keep-alives). */
  push(chunk: Uint8Array): SseEvent[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    let idx: number;
    while ((idx = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, idx);
      const sepLen = this.buffer.startsWith("\r\n", idx) ? 2 : 1;
      // A lone \r at the end of a chunk may be half of \r\n: wait for more.
      if (this.buffer[idx] === "\r" && sepLen === 1 && idx === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(idx + sepLen);
      const ev = this.line(line);
      if (ev) out.push(ev);
    }
    return out;
  }

  /** Flushes a final event not followed by a blank line. */
  end(): SseEvent[] {
    const ev = this.line("");
    return ev ? [ev] : [];
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      const ev = this.current;
      ev.data = this.dataLines.join("\n");
      this.current = { data: "", hasData: false };
      this.dataLines = [];
      return ev.hasData || ev.id !== undefined || ev.retry !== undefined ? ev : null;
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
