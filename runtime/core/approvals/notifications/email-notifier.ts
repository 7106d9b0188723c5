/**
 * E-mail through an SMTP relay (nodemailer), for organisations without chat: plain text and HTML,
 * the masked summary and a link to the approval page. TLS is required (STARTTLS, or implicit TLS)
 * except for a relay on loopback (notifier-env.ts refuses anything else). The password is a secret
 * and only nodemailer sees it; recipients come from the request's group or the default list.
 */
import nodemailer from "nodemailer";
import type { ApproverGroups } from "../../config/notifier-env";
import { logger } from "../../telemetry/logger";
import type { ApprovalNotification, ApprovalNotifier } from "./notifier";
import { approversText, headline } from "./notification-of";
import { DeliveryTracker, retryDelivery, type RetryOptions } from "./deliver-with-retry";

export interface EmailNotifierOptions extends RetryOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: "starttls" | "implicit" | "none";
  readonly auth?: { readonly user: string; readonly pass?: string };
  readonly from: string;
  /** Default recipients. @default - none: a request without a group with e-mail is not mailed (logged) */
  readonly to?: readonly string[];
  readonly groups?: ApproverGroups;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function approvalEmail(n: ApprovalNotification): { subject: string; text: string; html: string } {
  const subject = headline(n)
    .replace(/[\r\n]+/g, " ")
    .slice(0, 200);
  const facts: [string, string][] = [
    ["Requested by", n.requester],
    ["Server", n.server],
    ["Tool", n.tool],
    ["Rule", n.ruleText ? `${n.ruleId}: ${n.ruleText}` : n.ruleId],
    ["Approvers needed", approversText(n)],
    ["Expires", n.expiresAt],
    ["Approval id", n.approvalId],
  ];
  const text = [
    subject,
    "",
    ...facts.map(([k, v]) => `${k}: ${v}`),
    "",
    `Review and decide on the approval page (sign-in required): ${n.url}`,
    "",
  ].join("\n");
  const rows = facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  const html = `<!doctype html><html><body><h1>${escapeHtml(subject)}</h1><table>${rows.join("")}</table><p><a href="${escapeHtml(n.url)}">Open the request</a> (sign-in required; decisions are taken on the page).</p></body></html>`;
  return { subject, text, html };
}

export function createEmailNotifier(opts: EmailNotifierOptions): ApprovalNotifier {
  const tracker = new DeliveryTracker();
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.tls === "implicit",
    requireTLS: opts.tls === "starttls",
    ignoreTLS: opts.tls === "none",
    auth: opts.auth?.pass ? { user: opts.auth.user, pass: opts.auth.pass } : undefined,
    connectionTimeout: opts.timeoutMs ?? 5000,
    greetingTimeout: opts.timeoutMs ?? 5000,
    socketTimeout: opts.timeoutMs ?? 5000,
    // Never let nodemailer log (its debug output would carry the AUTH exchange).
    logger: false,
    debug: false,
  });
  return {
    channel: "email",
    notify(n: ApprovalNotification): void {
      const to = (n.group ? opts.groups?.[n.group]?.email : undefined) ?? opts.to;
      if (!to?.length) {
        logger.warn("approval e-mail not sent: no recipients for its group and no GATEHOUSE_EMAIL_TO", {
          channel: "email",
          approvalId: n.approvalId,
          group: n.group ?? null,
        });
        return;
      }
      const mail = { from: opts.from, to: [...to], ...approvalEmail(n) };
      tracker.start(
        retryDelivery(
          { channel: "email", approvalId: n.approvalId },
          async (timeoutMs) => {
            await Promise.race([
              transport.sendMail(mail),
              new Promise((_, reject) =>
                setTimeout(() => reject(new Error("SMTP delivery timed out")), timeoutMs).unref(),
              ),
            ]);
            return null;
          },
          opts,
        ),
      );
    },
    drain: () => tracker.drain(),
  };
}
