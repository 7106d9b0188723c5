/**
 * The approval page's HTML: server-rendered, no framework, landmarks and labels, works without
 * JavaScript. A tiny progressive-enhancement script (nonce-allowed by the CSP) polls
 * /approvals/state.json and reloads when a decision is made elsewhere, unless the approver is
 * typing; without JavaScript a meta refresh does the same, more slowly.
 */
import type { ApprovalRecord } from "../../core/approvals/approval-record";
import { isReviewable, NOT_APPROVABLE_REASON } from "../../core/approvals/approval-size";

export const esc = (s: unknown): string => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PageUser {
  readonly oid: string;
  readonly username: string | null;
  readonly csrf: string;
}

export interface PageModel {
  readonly nonce: string;
  readonly user: PageUser | null;
  readonly pending: { record: ApprovalRecord; canDecide: boolean; why: string | null }[];
  readonly recent: ApprovalRecord[];
  readonly version: string;
  readonly notice: { kind: "ok" | "error"; text: string } | null;
}

function layout(title: string, nonce: string, main: string, opts: { refresh?: boolean; script?: string } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
${opts.refresh ? '<noscript><meta http-equiv="refresh" content="15"></noscript>' : ""}
<style nonce="${esc(nonce)}">
body{font-family:system-ui,sans-serif;margin:0;line-height:1.5;color:#1b1b1b;background:#fafafa}
header,main,footer{max-width:60rem;margin:0 auto;padding:0.75rem 1rem}
header{display:flex;justify-content:space-between;align-items:center;border-bottom:1px solid #ccc}
article{background:#fff;border:1px solid #bbb;border-radius:6px;padding:1rem;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:0.25rem 1rem}dt{font-weight:600}dd{margin:0}
pre{background:#f0f0f0;padding:0.5rem;overflow:auto;max-height:16rem}
label{display:block;font-weight:600;margin-top:0.5rem}textarea{width:100%;min-height:4rem;font:inherit}
button{font:inherit;padding:0.4rem 1rem;margin:0.5rem 0.5rem 0 0;cursor:pointer}
button:focus-visible,a:focus-visible,textarea:focus-visible{outline:3px solid #0050b3;outline-offset:2px}
.notice{padding:0.5rem 1rem;border-radius:4px}.ok{background:#e3f4e3;border:1px solid #2e7d32}.error{background:#fde7e7;border:1px solid #b71c1c}
</style>
</head>
<body>
${main}
${opts.script ?? ""}
</body>
</html>`;
}

export function signInPage(nonce: string, message: string | null): string {
  return layout(
    "Gatehouse approvals: sign in",
    nonce,
    `<header><p><strong>Gatehouse</strong> approvals</p></header>
<main id="main">
<h1>Approvals</h1>
${message ? `<p class="notice error" role="alert">${esc(message)}</p>` : ""}
<p>Sign in with your organisation account to review tool calls and access requests waiting for approval.</p>
<p><a href="/approvals/login">Sign in</a></p>
</main>`,
  );
}

function people(list: { username: string | null; oid: string; reason: string | null; at: string }[]): string {
  if (!list.length) return "none yet";
  return list.map((a) => `${esc(a.username ?? a.oid)} at <time datetime="${esc(a.at)}">${esc(a.at)}</time>${a.reason ? ` (“${esc(a.reason)}”)` : ""}`).join("; ");
}

function principals(r: ApprovalRecord): string {
  const parts = [...r.approvers.roles.map((x) => `role ${x}`), ...r.approvers.groups.map((x) => `group ${x}`)];
  return esc(parts.join(", ") || "nobody (misconfigured rule)");
}

function card(item: PageModel["pending"][number], csrf: string): string {
  const r = item.record;
  const id = esc(r.id);
  const title = r.kind === "jit" ? `Just-in-time session on ${esc(r.server)}` : `${esc(r.tool)} on ${esc(r.server)}`;
  const approvable = isReviewable(r);
  const form = item.canDecide
    ? `<form method="post" action="/approvals/${id}/decide">
<input type="hidden" name="csrf" value="${esc(csrf)}">
<label for="reason-${id}">Reason for your decision (required to reject)</label>
<textarea id="reason-${id}" name="reason" maxlength="1000"></textarea>
${approvable ? "" : `<p class="not-approvable" id="not-approvable-${id}">${esc(NOT_APPROVABLE_REASON)}</p>\n`}<button type="submit" name="action" value="approve"${approvable ? "" : ` disabled aria-describedby="not-approvable-${id}"`}>Approve</button>
<button type="submit" name="action" value="reject">Reject</button>
</form>`
    : `<p>${esc(item.why ?? "You cannot decide this request.")}</p>`;
  return `<article id="approval-${id}" aria-labelledby="title-${id}">
<h3 id="title-${id}">${title}</h3>
<dl>
<dt>Requested by</dt><dd>${esc(r.requester.username ?? r.requester.oid)}</dd>
<dt>Rule</dt><dd>${esc(r.ruleId)}${r.ruleDescription ? `: ${esc(r.ruleDescription)}` : ""}</dd>
<dt>Approvers</dt><dd>${r.count} of ${principals(r)}</dd>
<dt>Approved by</dt><dd>${people(r.approvals)}</dd>
<dt>Requested</dt><dd><time datetime="${esc(r.createdAt)}">${esc(r.createdAt)}</time></dd>
<dt>Expires</dt><dd><time datetime="${esc(r.expiresAt)}">${esc(r.expiresAt)}</time></dd>
<dt>Approval id</dt><dd><code>${id}</code></dd>
</dl>
<h4>Arguments (masked)</h4>
<pre>${esc(JSON.stringify(r.maskedArgs, null, 2))}</pre>
${form}
</article>`;
}

export function approvalsPage(m: PageModel): string {
  const u = m.user!;
  const pending = m.pending.length ? m.pending.map((p) => card(p, u.csrf)).join("\n") : "<p>Nothing is waiting for you.</p>";
  const recent = m.recent.length
    ? `<ul>${m.recent
        .map((r) => `<li><code>${esc(r.id)}</code> ${esc(r.tool)} on ${esc(r.server)} by ${esc(r.requester.username ?? r.requester.oid)}: <strong>${esc(r.status)}</strong>${r.rejectedBy?.reason ? ` (“${esc(r.rejectedBy.reason)}”)` : ""}</li>`)
        .join("")}</ul>`
    : "<p>No recent decisions.</p>";
  const script = `<script nonce="${esc(m.nonce)}">
(function(){var v=${JSON.stringify(m.version)};setInterval(function(){
var typing=Array.prototype.some.call(document.querySelectorAll("textarea"),function(t){return t.value||t===document.activeElement});
if(typing)return;fetch("/approvals/state.json",{credentials:"same-origin",cache:"no-store"}).then(function(r){return r.ok?r.json():null})
.then(function(s){if(s&&s.version!==v)location.reload()}).catch(function(){});},3000);})();
</script>`;
  return layout(
    "Gatehouse approvals",
    m.nonce,
    `<header><p><strong>Gatehouse</strong> approvals</p>
<form method="post" action="/approvals/logout"><input type="hidden" name="csrf" value="${esc(u.csrf)}"><span>Signed in as ${esc(u.username ?? u.oid)}</span> <button type="submit">Sign out</button></form></header>
<main id="main">
<h1>Approvals</h1>
${m.notice ? `<p class="notice ${m.notice.kind}" role="${m.notice.kind === "error" ? "alert" : "status"}">${esc(m.notice.text)}</p>` : ""}
<section aria-labelledby="pending-h"><h2 id="pending-h">Waiting for a decision</h2>
<div aria-live="polite">${pending}</div></section>
<section aria-labelledby="recent-h"><h2 id="recent-h">Recently decided</h2>${recent}</section>
</main>
<footer><p>Decisions are audited with your identity and reason. This page refreshes when a request is decided elsewhere.</p></footer>`,
    { refresh: true, script },
  );
}
