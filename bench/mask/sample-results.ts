/**
 * Mixed JSON tool results for the masking benchmark: customer records (names, e-mails, phones,
 * cards, IBANs), free-text notes, log excerpts with tokens and keys, embedded JSON in text
 * content, and plenty of clean text and numbers, as an MCP tools/call result message.
 */
const WORDS =
  "the customer asked about the invoice and we agreed to refund the order after the delivery was late again so support escalated it to billing".split(
    " ",
  );

class Rng {
  private s = 42;
  next(): number {
    this.s = (Math.imul(this.s, 1103515245) + 12345) >>> 0;
    return this.s / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)];
  }
  chars(alphabet: string, n: number): string {
    let s = "";
    for (let k = 0; k < n; k++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const CARDS = ["4111 1111 1111 1111", "5555555555554444", "378282246310005", "6011-1111-1111-1117"];

function prose(r: Rng, words: number): string {
  return Array.from({ length: words }, () => r.pick(WORDS)).join(" ");
}

function record(r: Rng, id: number): Record<string, unknown> {
  return {
    id: `c-${id}`,
    name: r.pick(["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"]),
    email: `${r.pick(["ada", "alan", "grace", "edsger"])}.${id}@example.com`,
    phone: `+1 (415) 555-${String(r.int(1000, 9999))}`,
    card: r.pick(CARDS),
    iban: "DE89 3704 0044 0532 0130 00",
    ssn: "123-45-6789",
    createdAt: "2025-06-01T10:22:33.123Z",
    balance: r.int(0, 100000) / 100,
    tags: ["vip", "eu", "newsletter"],
    notes: prose(r, 40),
  };
}

function logExcerpt(r: Rng, lines: number): string {
  const out: string[] = [];
  for (let k = 0; k < lines; k++) {
    const roll = r.int(0, 9);
    const tail =
      roll === 0
        ? `auth ok token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.${r.chars(B64.slice(0, 62), 43)}`
        : roll === 1
          ? `aws_secret_access_key=${r.chars(B64, 40)} key id AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`
          : roll === 2
            ? `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${r.chars(B64, 86)}==;EndpointSuffix=core.windows.net`
            : `status=200 latency_ms=${r.int(1, 900)} path=/api/v1/orders/${r.int(1, 99999)} version=1.${r.int(0, 9)}.${r.int(0, 9)} host=10.0.${r.int(0, 255)}.${r.int(1, 254)} ${prose(r, 8)}`;
    out.push(`2025-06-01T10:${String(r.int(10, 59))}:${String(r.int(10, 59))}.000Z INFO [api] ${tail}`);
  }
  return out.join("\n");
}

/** A tools/call result message whose JSON serialization is about `bytes` long. */
export function sampleResult(bytes: number): {
  jsonrpc: "2.0";
  id: number;
  result: { content: { type: "text"; text: string }[]; structuredContent: { customers: unknown[] } };
} {
  const r = new Rng();
  const content: { type: "text"; text: string }[] = [];
  const customers: unknown[] = [];
  const msg = { jsonrpc: "2.0" as const, id: 1, result: { content, structuredContent: { customers } } };
  let size = 0;
  for (let id = 0; size < bytes; id++) {
    const kind = id % 4;
    if (kind === 0) customers.push(record(r, id));
    else if (kind === 1) content.push({ type: "text", text: logExcerpt(r, 12) });
    else if (kind === 2)
      content.push({ type: "text", text: JSON.stringify([record(r, id), record(r, id + 1)], null, 2) });
    else
      content.push({
        type: "text",
        text: `${prose(r, 120)} Contact ${r.pick(["ada", "bob"])}@example.org or call 020 7946 0958.`,
      });
    if (id % 16 === 0) size = JSON.stringify(msg).length;
  }
  return msg;
}
