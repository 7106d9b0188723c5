/**
 * The approvals history (/approvals/history): every request the signed-in person may see
 * (Auditors: all), filtered by status, requester, server, tool and creation date, with who
 * decided, when, why, and whether the approved call then ran and how it ended (ok, error, withheld, blocked). Expired requests say expired.
 */
import type { ApprovalRecord } from "../../core/approvals/approval-record";
import type { HistoryFilter } from "../../core/approvals/approval-history";
import { callOutcomeText, who } from "./page-card-html";
import { esc } from "./page-escape";
import { layout, signedInHeader, type PageUser } from "./page-html";
import { timeTag } from "./page-time";

function decided(r: ApprovalRecord, now: Date): string {
  if (r.status === "pending") return `waiting; ${timeTag(r.expiresAt, now, "expires ")}`;
  if (r.status === "expired") return `expired ${timeTag(r.expiresAt, now)}, undecided`;
  if (r.status === "rejected")
    return `${who(r.rejectedBy)} ${timeTag(r.rejectedBy?.at, now)}: “${esc(r.rejectedBy?.reason)}”`;
  return r.approvals
    .map((a) => `${who(a)} ${timeTag(a.at, now)}${a.reason ? `: “${esc(a.reason)}”` : ""}`)
    .join("<br>");
}

function ran(r: ApprovalRecord, now: Date): string {
  if (r.status !== "approved") return "no";
  if (r.callOutcome) return callOutcomeText(r, r.callOutcome, now);
  if (r.consumedAt) return `forwarded ${timeTag(r.consumedAt, now)}`;
  return r.usableUntil && Date.parse(r.usableUntil) < now.getTime() ? "never used (window ended)" : "not yet";
}

export function historyPage(m: {
  nonce: string;
  user: PageUser;
  rows: ApprovalRecord[];
  filter: Record<string, string>;
  error: string | null;
  now: Date;
  limited: boolean;
}): string {
  const f = m.filter;
  const opt = (v: string, label: string) =>
    `<option value="${v}"${(f.status ?? "") === v ? " selected" : ""}>${label}</option>`;
  const input = (name: keyof HistoryFilter, label: string, hint = "") =>
    `<div><label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" value="${esc(f[name] ?? "")}"${hint ? ` placeholder="${esc(hint)}"` : ""}${m.error && (name === "from" || name === "to") ? ` aria-invalid="true" aria-describedby="filter-error"` : ""}></div>`;
  const rows = m.rows
    .map(
      (r) =>
        `<tr><td><a href="/approvals/${esc(r.id)}">${esc(r.tool)} on ${esc(r.server)}</a></td><td>${who(r.requester)}</td><td>${timeTag(r.createdAt, m.now)}</td><td><strong>${esc(r.status)}</strong></td><td>${decided(r, m.now)}</td><td>${ran(r, m.now)}</td></tr>`,
    )
    .join("\n");
  return layout(
    "Gatehouse approvals: history",
    m.nonce,
    `${signedInHeader(m.user)}
<main id="main">
<h1>Approvals history</h1>
<form method="get" action="/approvals/history" class="filters" role="search" aria-label="Filter the history">
<div><label for="f-status">Status</label><select id="f-status" name="status">${opt("", "all")}${opt("pending", "pending")}${opt("approved", "approved")}${opt("rejected", "rejected")}${opt("expired", "expired")}</select></div>
${input("requester", "Requester")}${input("server", "Server")}${input("tool", "Tool")}${input("from", "From", "2026-11-28")}${input("to", "To", "2026-11-28")}
<div><button type="submit">Filter</button></div>
</form>
${m.error ? `<p class="field-error" id="filter-error" role="alert">${esc(m.error)}</p>` : ""}
<section aria-labelledby="hist-h"><h2 id="hist-h">${m.rows.length} request${m.rows.length === 1 ? "" : "s"}${m.limited ? " (the newest 500)" : ""}</h2>
${
  m.rows.length
    ? `<div class="scroll" tabindex="0" role="region" aria-label="Matching requests"><table><thead><tr><th scope="col">Request</th><th scope="col">Requester</th><th scope="col">Requested</th><th scope="col">Status</th><th scope="col">Decided by, when, why</th><th scope="col">Call ran</th></tr></thead><tbody>
${rows}
</tbody></table></div>`
    : "<p>No request matches.</p>"
}
</section>
</main>`,
  );
}
