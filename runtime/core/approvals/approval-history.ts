/**
 * The approvals history's filters (the page's history view and GET /api/approvals): status,
 * requester (username or oid), server, tool and a creation-date range. Dates take the CLI's forms:
 * `2026-11-28` (the whole UTC day for `to`) or a full ISO timestamp.
 */
import { z } from "zod";
import { ApprovalStatusSchema, type ApprovalRecord } from "./approval-record";

const text = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));
const date = (endOfDay: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
      const t = Date.parse(day ? `${v}T00:00:00Z` : v);
      if (Number.isNaN(t)) {
        ctx.addIssue({ code: "custom", message: "expected a date (2026-11-28) or an ISO timestamp" });
        return z.NEVER;
      }
      return new Date(day && endOfDay ? t + 86_400_000 - 1 : t);
    });

export const HistoryFilterSchema = z.object({
  status: z
    .union([ApprovalStatusSchema, z.literal("all"), z.literal("")])
    .optional()
    .transform((v) => (v === "" || v === undefined ? ("all" as const) : v)),
  requester: text,
  server: text,
  tool: text,
  from: date(false),
  to: date(true),
});
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

export function matchesHistory(r: ApprovalRecord, f: HistoryFilter): boolean {
  if (f.status !== "all" && r.status !== f.status) return false;
  if (
    f.requester &&
    r.requester.username?.toLowerCase() !== f.requester.toLowerCase() &&
    r.requester.oid !== f.requester
  )
    return false;
  if (f.server && r.server !== f.server) return false;
  if (f.tool && r.tool !== f.tool) return false;
  const created = Date.parse(r.createdAt);
  if (f.from && created < f.from.getTime()) return false;
  if (f.to && created > f.to.getTime()) return false;
  return true;
}
