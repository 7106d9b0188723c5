/**
 * The approval page's HTML: server-rendered, no framework, landmarks and labels, works without
 * JavaScript. A tiny progressive-enhancement script (nonce-allowed by the CSP) polls
 * /approvals/state.json and reloads when a decision is made elsewhere (or a minute passed, to keep
 * relative times current), unless the approver is typing; without JavaScript a meta refresh does
 * the same, more slowly. It also clears a field's error once the field is fixed.
 */
import type { ApprovalRecord } from "../../core/approvals/approval-record";
import { card, type CardModel } from "./page-card-html";
import { esc } from "./page-escape";
import { timeTag } from "./page-time";

export { esc };

export interface PageUser {
  readonly oid: string;
  readonly username: string | null;
  readonly csrf: string;
}

export interface PageModel {
  readonly nonce: string;
  readonly user: PageUser | null;
  readonly pending: CardModel[];
  readonly recent: ApprovalRecord[];
  readonly version: string;
  readonly notice: { kind: "ok" | "error"; text: string } | null;
  /** @default - the current time */
  readonly now?: Date;
}

const CSS = `body{font-family:system-ui,sans-serif;margin:0;line-height:1.5;color:#1b1b1b;background:#fafafa}
header,main,footer{max-width:60rem;margin:0 auto;padding:0.75rem 1rem}
header{display:flex;flex-wrap:wrap;gap:0.5rem;justify-content:space-between;align-items:center;border-bottom:1px solid #ccc}
nav a{margin-right:1rem}
article{background:#fff;border:1px solid #bbb;border-radius:6px;padding:1rem;margin:1rem 0;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:0.25rem 1rem}dt{font-weight:600}dd{margin:0}
@media (max-width:40rem){dl{grid-template-columns:1fr}dd{margin-bottom:0.4rem}}
time{white-space:nowrap}code{overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:0.95rem}thead th{overflow-wrap:normal}.scroll{overflow-x:auto}th,td{text-align:left;border-bottom:1px solid #ddd;padding:0.25rem 0.5rem;vertical-align:top}
.args code.val{white-space:pre-wrap}.mask{display:inline-block;background:#eef;border-radius:3px;padding:0 0.3rem;white-space:nowrap}
.tag{background:#fde7e7;border:1px solid #b71c1c;border-radius:3px;padding:0 0.3rem}.hint{color:#555;font-size:0.9rem}
label{display:block;font-weight:600;margin-top:0.5rem}label.inline{display:inline;font-weight:600;margin:0 0 0 0.3rem}textarea{width:100%;box-sizing:border-box;min-height:4rem;font:inherit}
input[type=checkbox]{width:1.2rem;height:1.2rem;vertical-align:middle}
button{font:inherit;padding:0.4rem 1rem;margin:0.5rem 0.5rem 0 0;cursor:pointer}
button:focus-visible,a:focus-visible,textarea:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #0050b3;outline-offset:2px}
.field-error{color:#b71c1c;font-weight:600;margin:0.25rem 0}[aria-invalid=true]{border:2px solid #b71c1c}
.notice{padding:0.5rem 1rem;border-radius:4px}.ok{background:#e3f4e3;border:1px solid #2e7d32}.error{background:#fde7e7;border:1px solid #b71c1c}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.decided{background:#f3f3f3;padding:0.5rem;border-radius:4px}.waiting{background:#fff8e1;padding:0.5rem;border-radius:4px}
form.filters{display:flex;flex-wrap:wrap;gap:0.5rem 1rem;align-items:end}form.filters label{margin:0}`;

export function layout(
  title: string,
  nonce: string,
  main: string,
  opts: { refresh?: boolean; script?: string } = {},
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
${opts.refresh ? '<noscript><meta http-equiv="refresh" content="15"></noscript>' : ""}
<style nonce="${esc(nonce)}">
${CSS}
</style>
</head>
<body>
${main}
${opts.script ?? ""}
</body>
</html>`;
}

/** The header of a signed-in page: navigation and sign-out. */
export function signedInHeader(u: PageUser): string {
  return `<header><p><strong>Gatehouse</strong> approvals</p>
<nav aria-label="Approvals"><a href="/approvals">Waiting</a><a href="/approvals/history">History</a></nav>
<form method="post" action="/approvals/logout"><input type="hidden" name="csrf" value="${esc(u.csrf)}"><span>Signed in as ${esc(u.username ?? u.oid)}</span> <button type="submit">Sign out</button></form></header>`;
}

/** The reload-when-changed script, and the clearing of a field's error once it is fixed. */
export function pageScript(nonce: string, version: string | null, stateUrl: string): string {
  return `<script nonce="${esc(nonce)}">
(function(){var v=${JSON.stringify(version)},t0=Date.now();
document.addEventListener("input",function(e){var f=e.target,id=f.getAttribute("aria-describedby");if(!id||f.getAttribute("aria-invalid")!=="true")return;
var ok=f.type==="checkbox"?f.checked:f.value.trim().length>0;if(!ok)return;var m=document.getElementById(id);if(m&&m.className==="field-error")m.remove();f.removeAttribute("aria-invalid");f.removeAttribute("aria-describedby");});
if(v===null)return;setInterval(function(){
var typing=Array.prototype.some.call(document.querySelectorAll("textarea,input[type=checkbox]"),function(t){return t.value&&t.type!=="checkbox"||t.checked||t===document.activeElement});
if(typing)return;if(Date.now()-t0>60000)return location.reload();fetch(${JSON.stringify(stateUrl)},{credentials:"same-origin",cache:"no-store"}).then(function(r){return r.ok?r.json():null})
.then(function(s){if(s&&s.version!==v)location.reload()}).catch(function(){});},3000);})();
</script>`;
}

export function signInPage(nonce: string, message: string | null, returnTo: string | null = null): string {
  const href = returnTo ? `/approvals/login?return=${encodeURIComponent(returnTo)}` : "/approvals/login";
  return layout(
    "Gatehouse approvals: sign in",
    nonce,
    `<header><p><strong>Gatehouse</strong> approvals</p></header>
<main id="main">
<h1>Approvals</h1>
${message ? `<p class="notice error" role="alert">${esc(message)}</p>` : ""}
<p>Sign in with your organisation account to review tool calls and access requests waiting for approval.</p>
<p><a href="${esc(href)}">Sign in</a></p>
</main>`,
  );
}

export function noticeHtml(n: PageModel["notice"]): string {
  return n ? `<p class="notice ${n.kind}" role="${n.kind === "error" ? "alert" : "status"}">${esc(n.text)}</p>` : "";
}

export function approvalsPage(m: PageModel): string {
  const u = m.user!;
  const now = m.now ?? new Date();
  const pending = m.pending.length
    ? m.pending.map((p) => card(p, u.csrf, now, { link: true })).join("\n")
    : "<p>Nothing is waiting for you.</p>";
  const recent = m.recent.length
    ? `<ul>${m.recent
        .map(
          (r) =>
            `<li><a href="/approvals/${esc(r.id)}"><code>${esc(r.id)}</code></a> ${esc(r.tool)} on ${esc(r.server)} by ${esc(r.requester.username ?? r.requester.oid)}: <strong>${esc(r.status)}</strong> ${timeTag(r.decidedAt, now)}${r.rejectedBy?.reason ? ` (“${esc(r.rejectedBy.reason)}”)` : ""}</li>`,
        )
        .join("")}</ul>`
    : "<p>No recent decisions.</p>";
  return layout(
    "Gatehouse approvals",
    m.nonce,
    `${signedInHeader(u)}
<main id="main">
<h1>Approvals</h1>
${noticeHtml(m.notice)}
<section aria-labelledby="pending-h"><h2 id="pending-h">Waiting for a decision</h2>
<div aria-live="polite">${pending}</div></section>
<section aria-labelledby="recent-h"><h2 id="recent-h">Recently decided</h2>${recent}<p><a href="/approvals/history">Full history</a></p></section>
</main>
<footer><p>Decisions are audited with your identity and reason. This page refreshes when a request is decided elsewhere.</p></footer>`,
    { refresh: true, script: pageScript(m.nonce, m.version, "/approvals/state.json") },
  );
}
