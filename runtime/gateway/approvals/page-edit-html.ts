/**
 * The "Edit arguments" form of a request's detail page (issue 20, item 1). The approver sees only
 * masked values, so the form edits top-level arguments one by one: each field is prefilled with
 * the value as shown (masked values included); a field left as shown keeps its original value
 * server-side, a changed field takes the typed value (a string argument takes the text as typed,
 * any other argument is read as JSON). The gateway then checks the edited call against the
 * tool's input schema and the policy, and approves it in the approver's name.
 */
import { isEditable, type ApprovalRecord } from "../../core/approvals/approval-record";
import { esc } from "./page-escape";
import { shortId, titleOf, type CardModel } from "./page-card-html";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The text a field is prefilled with: what the approver compares against to tell "unchanged". */
export function shownValue(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v ?? null);
}

/** The top-level arguments the approver changed, from the submitted form (field `arg.<name>`). */
export function changesFromForm(r: ApprovalRecord, body: Record<string, unknown>): Record<string, unknown> {
  const masked = isObject(r.maskedArgs) ? r.maskedArgs : {};
  const changes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(masked)) {
    const typed = body[`arg.${name}`];
    if (typeof typed !== "string" || typed === shownValue(value)) continue;
    changes[name] = typeof value === "string" ? typed : parseJson(typed);
  }
  return changes;
}

/** A value typed into a non-string argument's field; text that is not JSON stays a string (the schema check says so). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function editForm(c: CardModel & { editError?: string | null }, csrf: string): string {
  const r = c.record;
  if (!c.canDecide || !isEditable(r) || !isObject(r.maskedArgs)) return "";
  const id = esc(r.id);
  const name = esc(`${titleOf(r)}, requested by ${r.requester.username ?? r.requester.oid} (${shortId(r)})`);
  const err = c.editError ? `<p class="notice error" role="alert" id="edit-error-${id}">${esc(c.editError)}</p>` : "";
  const fields = Object.entries(r.maskedArgs)
    .map(([arg, value], i) => {
      const fid = `edit-${id}-${i}`;
      const masked = typeof value === "string" && /\[(REDACTED|HASH):/.test(value);
      return `<p><label for="${fid}"><code>${esc(arg)}</code></label>
<input type="text" id="${fid}" name="arg.${esc(arg)}" value="${esc(shownValue(value))}" aria-describedby="${fid}-hint" autocomplete="off">
<span class="hint" id="${fid}-hint">${masked ? "masked: leave it as shown to keep the original value" : typeof value === "string" ? "text" : "JSON value"}</span></p>`;
    })
    .join("\n");
  const confirm = r.irreversible
    ? `<p><input type="checkbox" id="edit-confirm-${id}" name="confirm" value="yes">
<label class="inline" for="edit-confirm-${id}">I understand this call cannot be undone (required to approve)</label></p>`
    : "";
  return `<section aria-labelledby="edit-title-${id}" class="edit">
<h3 id="edit-title-${id}">Edit arguments, then approve</h3>
<p class="hint">Change only what must change; every argument you leave as shown keeps its value. The edited call must match the tool's input schema and the policy; the approvals so far are reset, yours counts as the first, and the requester is told the call ran with changed arguments.</p>
<form method="post" action="/approvals/${id}/edit" class="edit-form">
<input type="hidden" name="csrf" value="${esc(csrf)}">${err}
${fields}
<label for="edit-reason-${id}">Reason for the edit (required; shown to the requester)</label>
<textarea id="edit-reason-${id}" name="reason" maxlength="1000" required></textarea>
${confirm}<button type="submit">Edit and approve<span class="vh"> ${name}</span></button>
</form>
</section>`;
}

/** What a refused edit says on the page. */
export const EDIT_ERRORS: Record<string, string> = {
  ERR_BAD_REQUEST: "Write a reason for your edit.",
  ERR_EDIT_INVALID: "The edited arguments do not match the tool's input schema, or nothing was changed.",
  ERR_EDIT_DENIED: "The policy does not allow the edited call: nothing was changed.",
  ERR_EDIT_FORBIDDEN: "This approval rule does not allow edits.",
  ERR_EDIT_UNAVAILABLE: "This call cannot be edited here: approve or reject it as it is.",
  ERR_CONFIRMATION_REQUIRED: "Tick the box to confirm you approve a call that cannot be undone.",
  ERR_SELF_APPROVAL: "You cannot edit your own request.",
  ERR_NOT_APPROVER: "You do not hold a role or group this rule requires.",
  ERR_APPROVAL_EXPIRED: "This request expired before your edit: nothing was recorded.",
  ERR_APPROVAL_CONFLICT: "Your edit was not recorded: this request was decided or changed elsewhere.",
  ERR_APPROVAL_TOO_LARGE: "The edited request is too large to keep for review.",
};
