/**
 * The masked arguments as a table an approver can read: one row per value (its JSON path), each
 * masked value labelled with its type, and for the `hash` masking style its fingerprint (the
 * same value gives the same fingerprint, so two requests about one record can be compared).
 * Only the masked copy is ever shown (approval-record.ts).
 */
import { esc } from "./page-escape";

const MASK = /\[(REDACTED|HASH):([\w.-]+)(?::(…?[0-9a-zA-Z]{4,16}))?\]/g;

interface Row {
  readonly path: string;
  readonly value: string;
  readonly masks: { type: string; kind: "redacted" | "last4" | "hash"; detail: string | null }[];
}

function rows(v: unknown, path: string, out: Row[]): void {
  if (out.length >= 200) return;
  if (Array.isArray(v)) return v.forEach((x, i) => rows(x, `${path}[${i}]`, out));
  if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) rows(x, path ? `${path}.${k}` : k, out);
    return;
  }
  const text = typeof v === "string" ? v : JSON.stringify(v);
  const masks =
    typeof v === "string"
      ? [...v.matchAll(MASK)].map((m) => ({
          type: m[2],
          kind: m[1] === "HASH" ? ("hash" as const) : m[3] ? ("last4" as const) : ("redacted" as const),
          detail: m[3] ? m[3].replace(/^…/, "") : null,
        }))
      : [];
  out.push({ path: path || "(value)", value: text, masks });
}

function label(m: Row["masks"][number]): string {
  if (m.kind === "hash") return `masked ${m.type}, fingerprint <code>${esc(m.detail)}</code>`;
  if (m.kind === "last4") return `masked ${m.type}, ending ${esc(m.detail)}`;
  return `masked ${m.type}`;
}

export function maskedArgsTable(args: unknown, idPrefix: string): string {
  const out: Row[] = [];
  rows(args ?? {}, "", out);
  if (!out.length) return "<p>No arguments.</p>";
  const body = out
    .map(
      (r) =>
        `<tr><th scope="row"><code>${esc(r.path)}</code></th><td><code class="val">${esc(r.value)}</code></td><td>${r.masks.length ? r.masks.map((m) => `<span class="mask">${label(m)}</span>`).join(" ") : "not masked"}</td></tr>`,
    )
    .join("\n");
  return `<table class="args" aria-describedby="${esc(idPrefix)}-args-note"><thead><tr><th scope="col">Argument</th><th scope="col">Value (masked)</th><th scope="col">Masking</th></tr></thead><tbody>
${body}
</tbody></table>
<p class="hint" id="${esc(idPrefix)}-args-note">Values are shown as the audit trail keeps them; masked values never leave the gateway.</p>`;
}
