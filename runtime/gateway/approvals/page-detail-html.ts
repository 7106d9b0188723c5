/**
 * The detail page /approvals/<id> (the link notifications and the requester's client carry), and
 * the page shown when a decision arrives without a valid session: it says the decision was NOT
 * recorded, shows the typed reason, and links to sign-in and back to the same request, where the
 * reason is put back in its field (approval-page-views.ts keeps it in a signed cookie).
 */
import { card, titleOf, type CardModel } from "./page-card-html";
import { esc } from "./page-escape";
import { editForm } from "./page-edit-html";
import { layout, noticeHtml, pageScript, signedInHeader, type PageModel, type PageUser } from "./page-html";

export interface DetailModel {
  readonly nonce: string;
  readonly user: PageUser;
  readonly card: CardModel;
  readonly notice: PageModel["notice"];
  readonly version: string;
  readonly now: Date;
}

export function detailPage(m: DetailModel): string {
  const r = m.card.record;
  return layout(
    `${titleOf(r)}: Gatehouse approval`,
    m.nonce,
    `${signedInHeader(m.user)}
<main id="main">
<p><a href="/approvals">All waiting requests</a></p>
<h1>Approval request</h1>
${noticeHtml(m.notice)}
${card(m.card, m.user.csrf, m.now, { level: 2 })}
${r.status === "pending" ? editForm(m.card, m.user.csrf) : ""}
${editedHtml(r)}
</main>
<footer><p>Decisions are audited with your identity and reason.</p></footer>`,
    // A pending request reloads when it is decided elsewhere; a decided one does not change.
    {
      refresh: r.status === "pending",
      script: pageScript(m.nonce, r.status === "pending" ? m.version : null, `/approvals/${r.id}/state.json`),
    },
  );
}

export function lostSessionPage(nonce: string, r: { id: string; action: string }, reason: string): string {
  const id = esc(r.id);
  return layout(
    "Gatehouse approvals: sign in again",
    nonce,
    `<header><p><strong>Gatehouse</strong> approvals</p></header>
<main id="main">
<h1>Your decision was not recorded</h1>
<p class="notice error" role="alert">Your sign-in session ended before you pressed ${esc(r.action === "reject" ? "Reject" : "Approve")}, so nothing was recorded for request <code>${id}</code>. Sign in again and decide once more: your reason is kept below and put back after sign-in.</p>
<label for="draft-${id}">Your reason (kept)</label>
<textarea id="draft-${id}" readonly>${esc(reason)}</textarea>
<p><a href="/approvals/login?return=${encodeURIComponent(`/approvals/${r.id}`)}">Sign in again and return to this request</a> (the reason is put back in its field)</p>
</main>`,
  );
}

/** An edited request says so: who edited, why (masked), and the requested arguments (masked). */
function editedHtml(r: DetailModel["card"]["record"]): string {
  const e = r.edit;
  if (!e) return "";
  return `<section aria-labelledby="edited-${esc(r.id)}" class="edited">
<h3 id="edited-${esc(r.id)}">Edited by an approver</h3>
<p>${esc(e.by.username ?? e.by.oid)} changed <code>${esc(e.changed.join(", "))}</code> (“${esc(e.reason)}”). The approvals cover the edited arguments above; the requested ones were:</p>
<pre class="val">${esc(JSON.stringify(e.originalMaskedArgs, null, 2))}</pre>
</section>`;
}
