/**
 * Where the approval page returns after sign-in: only its own pages (the list, the history with
 * its filters, a request's detail page), so a crafted link cannot turn sign-in into an open
 * redirect. Anything else returns to /approvals.
 */
const SAFE =
  /^\/approvals(?:\/history(?:\?[\w=&%.:+-]{0,400})?|\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i;

export function safeReturnPath(v: unknown): string {
  return typeof v === "string" && SAFE.test(v) ? v : "/approvals";
}

export const isApprovalId = (v: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
