/**
 * Each new channel against a local receiver, with the exact payload: Slack (incoming webhook and
 * chat.postMessage with a bot token), PagerDuty Events v2 (trigger, then resolve with the same
 * dedup_key), e-mail over SMTP (plain text and HTML, parsed back with mailparser). Failures are
 * retried and, once given up, counted (gatehouse.approvals.notification_failures).
 */
import { randomUUID } from "node:crypto";
import type { ApprovalNotification } from "../../../runtime/core/approvals/notifications/notifier";
import { createSlackNotifier } from "../../../runtime/core/approvals/notifications/slack-notifier";
import { createPagerDutyNotifier } from "../../../runtime/core/approvals/notifications/pagerduty-notifier";
import { createEmailNotifier } from "../../../runtime/core/approvals/notifications/email-notifier";
import { METRIC_NAMES, metricTotals } from "../../../runtime/core/telemetry/metrics";
import { startHttpSink, startSmtpSink } from "./support/sinks";

const id = randomUUID();
const note: ApprovalNotification = {
  approvalId: id,
  kind: "tool-call",
  url: `https://gatehouse.example.com/approvals/${id}`,
  requester: "alice@gatehouse.local",
  server: "customers",
  tool: "delete_customer",
  ruleId: "delete-customer",
  count: 1,
  approvers: { roles: ["Approver"], groups: [] },
  expiresAt: "2026-11-28T23:00:00.000Z",
  event: "requested",
  ruleText: "Calls to delete_customer on customers need one approver holding role Approver.",
  group: "dba",
  channels: null,
};
const failures = () => metricTotals()[METRIC_NAMES.notificationFailures];
const plain = (text: string) => ({ type: "plain_text", text, emoji: false });

const SLACK_BLOCKS = [
  { type: "header", text: plain("A call to delete_customer on customers needs approval") },
  {
    type: "section",
    fields: [
      plain("Requested by: alice@gatehouse.local"),
      plain("Server: customers"),
      plain("Tool: delete_customer"),
      plain("Approvers needed: 1 (role Approver)"),
      plain("Expires: 2026-11-28T23:00:00.000Z"),
      plain(`Approval id: ${id}`),
      plain("Group: dba"),
    ],
  },
  {
    type: "section",
    text: plain("Rule delete-customer: Calls to delete_customer on customers need one approver holding role Approver."),
  },
  {
    type: "actions",
    elements: [
      { type: "button", text: plain("Open the request"), url: note.url, action_id: "gatehouse-open-approval" },
    ],
  },
];

test("Slack incoming webhook: a Block Kit message whose only action is a link that opens the approval page", async () => {
  const sink = await startHttpSink();
  try {
    const slack = createSlackNotifier({ webhookUrl: `${sink.url}/services/T0/B0/x` });
    slack.notify(note);
    await slack.drain();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0].path).toBe("/services/T0/B0/x");
    expect(sink.received[0].json).toEqual({
      text: "A call to delete_customer on customers needs approval",
      blocks: SLACK_BLOCKS,
    });
  } finally {
    await sink.close();
  }
});

test("Slack bot token: chat.postMessage to the group's channel; an ok:false answer is retried, then counted", async () => {
  let answers = 0;
  const sink = await startHttpSink(() =>
    answers++ === 0 ? { status: 200, body: '{"ok":false,"error":"ratelimited"}' } : undefined,
  );
  try {
    const slack = createSlackNotifier({
      botToken: "xoxb-1-test",
      channel: "C-DEFAULT",
      apiUrl: `${sink.url}/api`,
      groups: { dba: { slackChannel: "C-DBA" } },
      baseDelayMs: 10,
    });
    slack.notify(note);
    await slack.drain();
    expect(sink.received.map((r) => r.path)).toEqual(["/api/chat.postMessage", "/api/chat.postMessage"]);
    expect(sink.received[1].headers.authorization).toBe("Bearer xoxb-1-test");
    expect(sink.received[1].json).toEqual({
      channel: "C-DBA",
      text: "A call to delete_customer on customers needs approval",
      blocks: SLACK_BLOCKS,
    });

    const before = failures();
    const down = await startHttpSink(() => ({ status: 200, body: '{"ok":false,"error":"channel_not_found"}' }));
    const failing = createSlackNotifier({
      botToken: "xoxb-1-test",
      channel: "C-GONE",
      apiUrl: down.url,
      attempts: 2,
      baseDelayMs: 10,
    });
    failing.notify({ ...note, group: null });
    await failing.drain();
    await down.close();
    expect(down.received).toHaveLength(2);
    expect(down.received[0].json.channel).toBe("C-GONE");
    expect(failures()).toBe(before + 1);
  } finally {
    await sink.close();
  }
});

test("PagerDuty Events v2: trigger keyed by the approval id, then resolve with the same dedup_key", async () => {
  const sink = await startHttpSink();
  try {
    const key = "R0UTINGKEY0123456789abcdefABCDEF";
    const pd = createPagerDutyNotifier({ routingKey: key, eventsUrl: `${sink.url}/v2/enqueue` });
    pd.notify(note);
    await pd.drain();
    pd.settled!({ approvalId: id, status: "approved", channels: null });
    await pd.drain();
    expect(sink.received.map((r) => r.json)).toEqual([
      {
        routing_key: key,
        event_action: "trigger",
        dedup_key: id,
        payload: {
          summary: "A call to delete_customer on customers needs approval",
          source: "gatehouse",
          severity: "warning",
          component: "customers",
          group: "delete-customer",
          class: "approval",
          custom_details: {
            requester: "alice@gatehouse.local",
            server: "customers",
            tool: "delete_customer",
            rule: note.ruleText,
            approversNeeded: "1 (role Approver)",
            expiresAt: note.expiresAt,
            event: "requested",
            group: "dba",
          },
        },
        client: "Gatehouse",
        client_url: note.url,
        links: [{ href: note.url, text: "Open the request" }],
      },
      { routing_key: key, event_action: "resolve", dedup_key: id },
    ]);
  } finally {
    await sink.close();
  }
});

test("e-mail: plain text and HTML with the summary and the page link, to the group's recipients, with SMTP AUTH", async () => {
  const smtp = await startSmtpSink({ user: "gatehouse", pass: "smtp-password-1" });
  try {
    const mail = createEmailNotifier({
      host: "127.0.0.1",
      port: smtp.port,
      tls: "none",
      auth: { user: "gatehouse", pass: "smtp-password-1" },
      from: "gatehouse@example.com",
      to: ["approvers@example.com"],
      groups: { dba: { email: ["dba1@example.com", "dba2@example.com"] } },
    });
    mail.notify(note);
    await smtp.until((m) => m.length === 1);
    await mail.drain();
    const m = smtp.mails[0];
    expect(smtp.logins).toEqual([{ user: "gatehouse", pass: "smtp-password-1" }]);
    expect(m.from?.text).toBe("gatehouse@example.com");
    expect(m.to && !Array.isArray(m.to) ? m.to.value.map((a) => a.address) : null).toEqual([
      "dba1@example.com",
      "dba2@example.com",
    ]);
    expect(m.subject).toBe("A call to delete_customer on customers needs approval");
    expect(m.text).toBe(
      [
        "A call to delete_customer on customers needs approval",
        "",
        "Requested by: alice@gatehouse.local",
        "Server: customers",
        "Tool: delete_customer",
        `Rule: delete-customer: ${note.ruleText}`,
        "Approvers needed: 1 (role Approver)",
        `Expires: ${note.expiresAt}`,
        `Approval id: ${id}`,
        "",
        `Review and decide on the approval page (sign-in required): ${note.url}`,
        "",
      ].join("\n"),
    );
    expect(m.html).toContain(`<a href="${note.url}">Open the request</a>`);
    expect(m.html).toContain('<th align="left">Requested by</th><td>alice@gatehouse.local</td>');
  } finally {
    await smtp.close();
  }
});

test("e-mail: a relay that does not offer STARTTLS is refused when STARTTLS is required (nothing sent, counted)", async () => {
  const smtp = await startSmtpSink();
  try {
    const before = failures();
    const mail = createEmailNotifier({
      host: "127.0.0.1",
      port: smtp.port,
      tls: "starttls",
      from: "gatehouse@example.com",
      to: ["approvers@example.com"],
      attempts: 2,
      baseDelayMs: 10,
    });
    mail.notify(note);
    await mail.drain();
    expect(smtp.mails).toHaveLength(0);
    expect(failures()).toBe(before + 1);
  } finally {
    await smtp.close();
  }
});
