/**
 * One approval request as the approver reads it: what (tool, description, annotations, masked
 * arguments with their masking labels), why (the requester's reason, the rule in words), when
 * (relative times, expiry, whether the requester is still waiting) and the decision form. Every
 * heading and button names the request; a form error is tied to its field (aria-describedby).
 */
import { approvedArgsHash, type ApprovalRecord, type CallOutcome } from "../../core/approvals/approval-record";
import { isReviewable, NOT_APPROVABLE_REASON } from "../../core/approvals/approval-size";
import { maskedArgsTable } from "./masked-args-html";
import { esc } from "./page-escape";
import { timeTag } from "./page-time";

export interface CardModel {
  readonly record: ApprovalRecord;
  readonly canDecide: boolean;
  readonly why: string | null;
  /** A refused decision, shown at the field it concerns. */
  readonly error?: { field: "reason" | "confirm" | "form"; text: string } | null;
  /** The reason the approver had typed (kept when a decision was refused or the session was lost). */
  readonly draft?: string | null;
  /** A refused edit (page-edit.ts), shown at the "Edit arguments" form. */
  readonly editError?: string | null;
}

export const who = (p: { username: string | null; oid: string } | null | undefined): string =>
  esc(p?.username ?? p?.oid ?? "unknown");
export const titleOf = (r: ApprovalRecord): string =>
  r.kind === "jit" ? `Just-in-time session on ${r.server}` : `${r.tool} on ${r.server}`;
export const shortId = (r: ApprovalRecord): string => r.id.slice(0, 8);

function principals(r: ApprovalRecord): string {
  const parts = [...r.approvers.roles.map((x) => `role ${x}`), ...r.approvers.groups.map((x) => `group ${x}`)];
  return esc(parts.join(", ") || "nobody (misconfigured rule)");
}

function annotations(r: ApprovalRecord): string {
  const t = r.toolInfo;
  if (r.kind === "jit") return "a session token for this server";
  if (!t) return "no annotations seen by this gateway";
  const tags = [
    t.destructive === true ? "destructive" : null,
    r.irreversible ? "irreversible" : null,
    t.readOnly === true ? "read-only" : null,
    t.idempotent === true ? "idempotent" : null,
    t.openWorld === true ? "reaches outside systems" : null,
  ].filter(Boolean);
  return tags.length ? tags.map((x) => `<strong class="tag">${esc(x)}</strong>`).join(" ") : "none";
}

/** Whether the requester's client still waits, and what happens after (approval-coordinator.ts). */
export function waitingText(r: ApprovalRecord, now: Date): string {
  if (r.status !== "pending" || !r.waitingUntil) return "";
  return Date.parse(r.waitingUntil) > now.getTime()
    ? `The requester's client is waiting; it stops waiting ${timeTag(r.waitingUntil, now)}. Approve before then and the call runs at once.`
    : `The requester is no longer waiting (since ${timeTag(r.waitingUntil, now)}). If you approve, the requester's identical retry runs once, until the approval's window ends.`;
}

const ENDINGS: Record<CallOutcome["status"], string> = {
  ok: "ended ok",
  error: "ended with an error",
  withheld: "its result was withheld (it could not be scanned)",
  blocked: "its result was blocked by a guardrail",
};

/** Whether an approved call ran and how it ended, in words (the record's callOutcome). */
export function callOutcomeText(r: ApprovalRecord, o: CallOutcome, now: Date): string {
  const code = o.code ? ` <code>${esc(o.code)}</code>` : "";
  if (!o.ran) return `not run: refused before it was forwarded${code} ${timeTag(o.at, now)}`;
  return `forwarded ${timeTag(r.consumedAt ?? o.at, now)}; <strong class="outcome-${esc(o.status)}">${ENDINGS[o.status]}</strong>${code} ${timeTag(o.at, now)}`;
}

export function decisionText(r: ApprovalRecord, now: Date): string {
  if (r.status === "expired")
    return `<strong>Expired</strong>: nobody decided before ${timeTag(r.expiresAt, now)}; the call was denied.`;
  if (r.status === "rejected")
    return `<strong>Rejected</strong> by ${who(r.rejectedBy)} ${timeTag(r.rejectedBy?.at, now)}: “${esc(r.rejectedBy?.reason)}”.`;
  if (r.status === "approved") {
    const by = r.approvals
      .map((a) => `${who(a)} ${timeTag(a.at, now)}${a.reason ? ` (“${esc(a.reason)}”)` : ""}`)
      .join("; ");
    const ran = r.callOutcome
      ? `The call was ${callOutcomeText(r, r.callOutcome, now)} (correlation <code>${esc(r.consumedBy)}</code>).`
      : r.consumedAt
        ? `The call was forwarded ${timeTag(r.consumedAt, now)} (its result is in the audit trail, correlation <code>${esc(r.consumedBy)}</code>).`
        : "The call has not run yet.";
    return `<strong>Approved</strong> by ${by}. ${ran}`;
  }
  return "";
}

function form(c: CardModel, csrf: string): string {
  const r = c.record;
  const id = esc(r.id);
  const name = esc(`${titleOf(r)}, requested by ${r.requester.username ?? r.requester.oid} (${shortId(r)})`);
  if (!c.canDecide) return `<p>${esc(c.why ?? "You cannot decide this request.")}</p>`;
  const approvable = isReviewable(r);
  const err = c.error;
  const reasonErr =
    err?.field === "reason" ? `<p class="field-error" id="reason-error-${id}">${esc(err.text)}</p>` : "";
  const confirmErr =
    err?.field === "confirm" ? `<p class="field-error" id="confirm-error-${id}">${esc(err.text)}</p>` : "";
  const formErr = err?.field === "form" ? `<p class="notice error" role="alert">${esc(err.text)}</p>` : "";
  const confirm = r.irreversible
    ? `<p><input type="checkbox" id="confirm-${id}" name="confirm" value="yes"${confirmErr ? ` aria-invalid="true" aria-describedby="confirm-error-${id}"` : ""}>
<label class="inline" for="confirm-${id}">I understand this call cannot be undone (required to approve)</label></p>${confirmErr}`
    : "";
  return `<form method="post" action="/approvals/${id}/decide" class="decide">
<input type="hidden" name="csrf" value="${esc(csrf)}">
<input type="hidden" name="argsHash" value="${esc(approvedArgsHash(r))}">${formErr}
<label for="reason-${id}">Reason for your decision (required to reject)</label>
<textarea id="reason-${id}" name="reason" maxlength="1000"${reasonErr ? ` aria-invalid="true" aria-describedby="reason-error-${id}"` : ""}>${esc(c.draft ?? "")}</textarea>${reasonErr}
${confirm}${approvable ? "" : `<p class="not-approvable" id="not-approvable-${id}">${esc(NOT_APPROVABLE_REASON)}</p>\n`}<button type="submit" name="action" value="approve"${approvable ? "" : ` disabled aria-describedby="not-approvable-${id}"`}>Approve<span class="vh"> ${name}</span></button>
<button type="submit" name="action" value="reject">Reject<span class="vh"> ${name}</span></button>
</form>`;
}

export function card(c: CardModel, csrf: string, now: Date, opts: { level?: 2 | 3; link?: boolean } = {}): string {
  const r = c.record;
  const id = esc(r.id);
  const h = `h${opts.level ?? 3}`;
  const heading = `${esc(titleOf(r))}, requested by ${who(r.requester)}`;
  const t = r.toolInfo;
  const decided = decisionText(r, now);
  return `<article id="approval-${id}" aria-labelledby="title-${id}" class="card status-${esc(r.status)}">
<${h} id="title-${id}">${opts.link ? `<a href="/approvals/${id}">${heading}</a>` : heading}</${h}>
${c.error && r.status !== "pending" ? `<p class="notice error" role="alert">${esc(c.error.text)}</p>` : ""}
${decided ? `<p class="decided" role="status">${decided}</p>` : ""}
<dl>
<dt>Requester's reason</dt><dd>${r.requesterReason ? `“${esc(r.requesterReason)}”` : "none given"}</dd>
${r.kind === "jit" ? "" : `<dt>Tool</dt><dd>${t?.title ? `${esc(t.title)}: ` : ""}${t?.description ? esc(t.description) : "no description seen by this gateway"}</dd>`}
<dt>Annotations</dt><dd>${annotations(r)}</dd>
<dt>Why approval</dt><dd>${esc(r.ruleText || `rule ${r.ruleId}`)}${r.ruleDescription ? ` <span class="hint">(${esc(r.ruleId)}: ${esc(r.ruleDescription)})</span>` : ` <span class="hint">(${esc(r.ruleId)})</span>`}</dd>
<dt>Approvers</dt><dd>${r.count} of ${principals(r)}; so far: ${r.approvals.length ? r.approvals.map((a) => `${who(a)} ${timeTag(a.at, now)}`).join("; ") : "none"}</dd>
<dt>Requested</dt><dd>${timeTag(r.createdAt, now)}</dd>
<dt>Expires</dt><dd>${r.status === "pending" ? timeTag(r.expiresAt, now, "expires ") : timeTag(r.expiresAt, now)}</dd>
<dt>Approval id</dt><dd><code>${id}</code></dd>
</dl>
${r.status === "pending" && r.waitingUntil ? `<p class="waiting">${waitingText(r, now)}</p>` : ""}
<h${(opts.level ?? 3) + 1}>Arguments (masked)</h${(opts.level ?? 3) + 1}>
${maskedArgsTable(r.maskedArgs, `a-${id}`)}
${r.status === "pending" ? form(c, csrf) : ""}
</article>`;
}
