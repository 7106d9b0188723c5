/**
 * The approvals API's view of a request as the CLI reads it (GET /api/approvals[/<id>]), and its
 * text rendering. The schema names only what the text needs and keeps every other field the API
 * sends (`looseObject`), so `--json` prints exactly what the API has, new fields included.
 */
import { z } from "zod";
import { relativeTime } from "./relative-time";

const Person = z.looseObject({ oid: z.string(), username: z.string().nullable() });
const Decision = Person.extend({ reason: z.string().nullable().optional(), at: z.string().optional() });

export const ApprovalViewSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  requester: Person,
  server: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  ruleId: z.string(),
  ruleDescription: z.string().optional(),
  count: z.number(),
  approvals: z.array(Decision),
  rejectedBy: Decision.nullable().optional(),
  createdAt: z.string().optional(),
  expiresAt: z.string(),
  decidedAt: z.string().nullable().optional(),
  consumedAt: z.string().nullable().optional(),
  callOutcome: z
    .looseObject({ status: z.string(), ran: z.boolean(), code: z.string().nullable().optional(), at: z.string() })
    .nullable()
    .optional(),
  /** An approver's edit (issue 20): who, why (masked), the requested and the edited arguments' hashes. */
  edit: z
    .looseObject({
      by: Person,
      at: z.string(),
      reason: z.string(),
      originalArgsHash: z.string(),
      editedArgsHash: z.string(),
      originalMaskedArgs: z.unknown(),
    })
    .nullable()
    .optional(),
  url: z.string(),
});
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;

const who = (p: { oid: string; username: string | null }) => p.username ?? p.oid;
const when = (iso: string, now: number) => `${relativeTime(iso, now)} (${iso})`;
/** A list line shows this much of the (masked) arguments; `show` prints them whole. */
const ARGS_PREVIEW = 120;

function argsText(args: unknown): string {
  return args === undefined ? "(none)" : JSON.stringify(args);
}

/** What the requester and the approver most need about timing: expiry while pending, else the decision. */
function timing(a: ApprovalView, now: number): string {
  if (a.status === "pending")
    return Date.parse(a.expiresAt) > now
      ? `expires ${relativeTime(a.expiresAt, now)}`
      : `expired ${relativeTime(a.expiresAt, now)}`;
  if (a.status === "expired") return `expired ${relativeTime(a.expiresAt, now)}`;
  return a.decidedAt ? `${a.status} ${relativeTime(a.decidedAt, now)}` : a.status;
}

/** Whether the call ran and how it ended: what a requester whose client gave up needs to know. */
function callRan(a: ApprovalView, now: number): string {
  const o = a.callOutcome;
  const code = o?.code ? ` (${o.code})` : "";
  if (o && !o.ran) return `no: approved, but refused before it was forwarded${code}`;
  if (o)
    return `yes, forwarded ${a.consumedAt ? when(a.consumedAt, now) : ""}; ended ${o.status}${code} ${when(o.at, now)}`;
  if (a.consumedAt)
    return `yes, forwarded ${when(a.consumedAt, now)}; how it ended is not recorded on the approval (see the audit trail)`;
  if (a.status === "approved") return "not yet: the requester's identical retry runs it once";
  if (a.status === "pending") return "not yet: waiting for a decision";
  return `no: the request was ${a.status}, so the call was refused`;
}

/** Two lines per request: who asked for which call and when it expires; then the masked arguments. */
export function listEntry(a: ApprovalView, now: number = Date.now()): string {
  const age = a.createdAt ? `requested ${relativeTime(a.createdAt, now)}` : "";
  const args = argsText(a.arguments);
  const preview =
    args.length > ARGS_PREVIEW ? `${args.slice(0, ARGS_PREVIEW)}… (gatehouse approvals show ${a.id})` : args;
  const head = [
    a.id,
    a.status.padEnd(8),
    `${a.server}/${a.tool}`,
    `by ${who(a.requester)}`,
    age,
    timing(a, now),
    `${a.approvals.length}/${a.count} approvals`,
  ];
  return `${head.filter(Boolean).join("  ")}\n    arguments (masked): ${preview}`;
}

/** Every field of one request, for `gatehouse approvals show <id>` and after a decision. */
export function detail(a: ApprovalView, now: number = Date.now()): string {
  const rows: [string, string][] = [
    ["status", `${a.status} (${a.approvals.length}/${a.count} approvals)`],
    ["call", `${a.server}/${a.tool}`],
    ["requester", `${who(a.requester)} (${a.requester.oid})`],
    ["rule", a.ruleDescription ? `${a.ruleId}: ${a.ruleDescription}` : a.ruleId],
  ];
  if (a.createdAt) rows.push(["requested", when(a.createdAt, now)]);
  rows.push([a.status === "pending" && Date.parse(a.expiresAt) > now ? "expires" : "expiry", when(a.expiresAt, now)]);
  if (a.decidedAt) rows.push(["decided", when(a.decidedAt, now)]);
  for (const d of a.approvals)
    rows.push(["approved by", `${who(d)}${d.at ? ` ${when(d.at, now)}` : ""}${d.reason ? `: ${d.reason}` : ""}`]);
  if (a.rejectedBy)
    rows.push([
      "rejected by",
      `${who(a.rejectedBy)}${a.rejectedBy.at ? ` ${when(a.rejectedBy.at, now)}` : ""}${a.rejectedBy.reason ? `: ${a.rejectedBy.reason}` : ""}`,
    ]);
  if (a.edit)
    rows.push([
      "edited by",
      `${who(a.edit.by)} ${when(a.edit.at, now)}: ${a.edit.reason} (requested ${a.edit.originalArgsHash.slice(0, 12)}…, now ${a.edit.editedArgsHash.slice(0, 12)}…; requested arguments (masked): ${argsText(a.edit.originalMaskedArgs)})`,
    ]);
  if (typeof a.currentArgsHash === "string") rows.push(["args hash", a.currentArgsHash]);
  rows.push(["call ran", callRan(a, now)]);
  rows.push(["page", a.url]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const pretty = JSON.stringify(a.arguments ?? null, null, 2).replace(/\n/g, `\n  ${" ".repeat(width + 2)}`);
  return [
    `approval ${a.id}`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    `  ${"arguments".padEnd(width)}  ${pretty}  (masked)`,
  ].join("\n");
}
