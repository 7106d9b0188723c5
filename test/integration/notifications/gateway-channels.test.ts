/**
 * The channels through the real gateway (composeGateway with wireApprovals, as the process runs
 * it; tables and audit on Azurite; the MCP SDK client as requester; decisions through the REST
 * API): a held call is announced on every configured channel (its rule names none) to the rule's
 * group, with the masked summary — a secret planted in the arguments and the reason is in no
 * payload of any channel — and the PagerDuty alert is resolved once the call is approved; a rule
 * that names channels reaches only those. A rule with a short window gets its escalation (audited as
 * `approval.escalated`) and its reminder from the gateway's own scanner; two replicas sharing the
 * table send each one once.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { ApprovalStore } from "../../../runtime/core/approvals/approval-store";
import { ApprovalReminders } from "../../../runtime/core/approvals/approval-reminders";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import type { ApprovalNotification } from "../../../runtime/core/approvals/notifications/notifier";
import type { GatewayConfig } from "../../../runtime/core/config/gateway-config";
import type { ComposedGateway } from "../../../runtime/gateway/compose-gateway";
import { startHarness, type Harness } from "../gateway/gateway-harness";
import { startHttpSink, startSmtpSink, type HttpSink, type SmtpSink } from "./support/sinks";
import {
  AWS_EXAMPLE_ACCESS_KEY_ID,
  GITHUB_FABRICATED_TOKEN,
  TEST_CARD_NUMBER,
} from "../../fixtures/secret-shaped-samples";

jest.setTimeout(120_000);

const ROUTING_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
const SECRETS = [GITHUB_FABRICATED_TOKEN, AWS_EXAMPLE_ACCESS_KEY_ID, TEST_CARD_NUMBER];

const bundleFor = ({ everythingUrl }: { everythingUrl: string }) => ({
  schemaVersion: 1,
  servers: [{ name: "everything", transport: { type: "http", url: everythingUrl } }],
  access: [
    {
      id: "engineers",
      mode: "standing",
      principals: { roles: ["Engineer"] },
      servers: ["everything"],
      tools: { allow: ["*"] },
    },
  ],
  approvals: [
    {
      id: "echo-short-window",
      servers: ["everything"],
      tools: ["echo"],
      when: [{ path: "message", op: "contains", value: "short-window" }],
      approvers: { roles: ["Approver"] },
      expiresAfterSeconds: 60,
      notify: {
        channels: ["slack", "pagerduty"],
        group: "dba",
        remindBeforeSeconds: 57,
        escalation: { afterSeconds: 2, group: "oncall", channels: ["email"] },
      },
    },
    {
      id: "echo-pages-on-escalation",
      servers: ["everything"],
      tools: ["echo"],
      when: [{ path: "message", op: "contains", value: "page-on-escalation" }],
      approvers: { roles: ["Approver"] },
      expiresAfterSeconds: 60,
      notify: { channels: ["slack"], escalation: { afterSeconds: 2, group: "oncall", channels: ["pagerduty"] } },
    },
    {
      id: "echo-routed",
      servers: ["everything"],
      tools: ["echo"],
      approvers: { roles: ["Approver"] },
      // No channels: every configured one (Teams, the webhook, Slack, e-mail, PagerDuty).
      notify: { group: "dba" },
    },
  ],
});

let h: Harness;
let store: ApprovalStore;
let slack: HttpSink;
/** Teams and the signed webhook (by path). */
let hooks: HttpSink;
let pd: HttpSink;
let smtp: SmtpSink;
let channelEnv: GatewayConfig["env"];

beforeAll(async () => {
  [h, slack, hooks, pd, smtp] = await Promise.all([
    startHarness(bundleFor),
    startHttpSink(),
    startHttpSink(),
    startHttpSink(),
    startSmtpSink(),
  ]);
  store = await ApprovalStore.open({ connectionString: h.azurite.connectionString });
  channelEnv = {
    // composeGateway hands the app the whole loaded configuration (GatewayDeps types only what the app reads).
    ...(h.deps.config as GatewayConfig).env,
    GATEHOUSE_SLACK_WEBHOOK_URL: `${slack.url}/services/T0/B0/x`,
    GATEHOUSE_TEAMS_WEBHOOK_URL: `${hooks.url}/teams`,
    GATEHOUSE_APPROVAL_WEBHOOK_URL: `${hooks.url}/webhook`,
    GATEHOUSE_APPROVAL_WEBHOOK_SECRET: "a-webhook-secret-of-some-length",
    GATEHOUSE_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    GATEHOUSE_PAGERDUTY_EVENTS_URL: `${pd.url}/v2/enqueue`,
    GATEHOUSE_SMTP_HOST: "127.0.0.1",
    GATEHOUSE_SMTP_PORT: smtp.port,
    GATEHOUSE_SMTP_TLS: "none",
    GATEHOUSE_EMAIL_FROM: "gatehouse@example.com",
    GATEHOUSE_EMAIL_TO: ["approvers@example.com"],
    GATEHOUSE_APPROVER_GROUPS: { dba: { email: ["dba@example.com"] }, oncall: { email: ["oncall@example.com"] } },
    GATEHOUSE_APPROVAL_SCAN_SECONDS: 1,
  };
}, 90_000);
afterAll(async () => {
  await h?.stop();
  await Promise.all([slack?.close(), hooks?.close(), pd?.close(), smtp?.close()]);
});

const replicas: ComposedGateway[] = [];
// Each test's replicas (and their scanners) stop with it, so no scanner acts on a later test's requests.
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((g) => g.stop()));
});

/** A gateway replica composed as the process composes it, with the channels above; its URL. */
async function replica(over: Partial<GatewayConfig["env"]> = {}): Promise<string> {
  const gw = await h.gateway({ approvals: undefined, config: { env: { ...channelEnv, ...over } } });
  replicas.push(gw);
  return gw.url;
}

/** alice calls echo through `gateway`; `whilePending` runs once the gateway names the approval. */
async function heldEcho(
  gateway: string,
  message: string,
  whilePending: (approvalId: string) => Promise<unknown>,
  /** List the tools first, as clients do: the gateway then knows the input schema an edit is checked against. */
  listFirst = false,
): Promise<string> {
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway}/mcp/everything`), {
    requestInit: { headers: { Authorization: `Bearer ${await h.token("alice")}` } },
  });
  const client = new Client({ name: "alice", version: "1.0.0" });
  await client.connect(transport);
  let approvalId = "";
  let pending: Promise<unknown> = Promise.resolve();
  const stop = new AbortController();
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const data = n.params.data as { status?: string; approvalId?: string };
    if (data.status === "pending" && !approvalId) {
      approvalId = String(data.approvalId);
      pending = whilePending(approvalId).finally(() => stop.abort());
    }
  });
  try {
    if (listFirst) await client.listTools();
    await client
      .callTool(
        { name: "echo", arguments: { message }, _meta: { "gatehouse/reason": `ticket ${SECRETS[0]}` } },
        undefined,
        {
          signal: stop.signal,
          timeout: 90_000,
        },
      )
      .catch((e: Error) => e);
    await pending;
  } finally {
    await client.close();
  }
  if (!approvalId) throw new Error("the call was not held for approval");
  return approvalId;
}

async function approve(gateway: string, id: string): Promise<void> {
  const res = await fetch(`${gateway}/api/approvals/${id}/approve`, {
    method: "POST",
    headers: { authorization: `Bearer ${await h.token("bob")}`, "content-type": "application/json" },
    body: JSON.stringify({ reason: "checked" }),
  });
  expect(res.status).toBe(200);
}

const about = (id: string) => (r: { raw: string }) => r.raw.includes(id);
const mailsTo = (address: string) =>
  smtp.mails.filter((m) => m.text?.includes(address) || JSON.stringify(m.to).includes(address));

test("a held call: every configured channel, the rule's group, exact payloads, no planted secret, and PagerDuty resolved after the decision", async () => {
  const gateway = await replica();
  let id = "";
  await heldEcho(gateway, `delete ${SECRETS.join(" and ")}`, async (approvalId) => {
    id = approvalId;
    await Promise.all([
      slack.until((rs) => rs.some(about(id))),
      pd.until((rs) => rs.some(about(id))),
      smtp.until((ms) => ms.some((m) => m.text?.includes(id))),
      hooks.until((rs) => rs.filter(about(id)).length === 2),
    ]);
    await approve(gateway, id);
    await pd.until((rs) => rs.filter(about(id)).length === 2);
  });
  const r = (await store.get(id))!.record;
  const url = `${gateway}/approvals/${id}`;
  const summary: ApprovalNotification = {
    approvalId: id,
    kind: "tool-call",
    url,
    requester: r.requester.username!,
    server: "everything",
    tool: "echo",
    ruleId: "echo-routed",
    count: 1,
    approvers: { roles: ["Approver"], groups: [] },
    expiresAt: r.expiresAt,
  };
  const plain = (text: string) => ({ type: "plain_text", text, emoji: false });
  expect(slack.received.filter(about(id)).map((x) => x.json)).toEqual([
    {
      text: "A call to echo on everything needs approval",
      blocks: [
        { type: "header", text: plain("A call to echo on everything needs approval") },
        {
          type: "section",
          fields: [
            plain(`Requested by: ${summary.requester}`),
            plain("Server: everything"),
            plain("Tool: echo"),
            plain("Approvers needed: 1 (role Approver)"),
            plain(`Expires: ${r.expiresAt}`),
            plain(`Approval id: ${id}`),
            plain("Group: dba"),
          ],
        },
        { type: "section", text: plain(`Rule echo-routed: ${r.ruleText}`) },
        {
          type: "actions",
          elements: [{ type: "button", text: plain("Open the request"), url, action_id: "gatehouse-open-approval" }],
        },
      ],
    },
  ]);
  const pdEvents = pd.received.filter(about(id)).map((x) => x.json);
  expect(pdEvents.map((e) => [e.event_action, e.dedup_key])).toEqual([
    ["trigger", id],
    ["resolve", id],
  ]);
  expect(pdEvents[0].payload.custom_details).toEqual({
    requester: summary.requester,
    server: "everything",
    tool: "echo",
    rule: r.ruleText,
    approversNeeded: "1 (role Approver)",
    expiresAt: r.expiresAt,
    event: "requested",
    group: "dba",
  });
  // The group's recipients, not the default list.
  const mail = smtp.mails.find((m) => m.text?.includes(id))!;
  expect(JSON.stringify(mail.to)).toContain("dba@example.com");
  expect(JSON.stringify(mail.to)).not.toContain("approvers@example.com");
  expect(mail.text).toContain(url);
  // No channels named: every configured channel, Teams and the signed webhook included.
  expect(
    hooks.received
      .filter(about(id))
      .map((x) => x.path)
      .sort(),
  ).toEqual(["/teams", "/webhook"]);

  const everything = [
    ...slack.received.filter(about(id)).map((x) => x.raw),
    ...pd.received.filter(about(id)).map((x) => x.raw),
    ...hooks.received.filter(about(id)).map((x) => x.raw),
    ...smtp.mails.filter((m) => m.text?.includes(id)).flatMap((m) => [m.text ?? "", String(m.html), m.subject ?? ""]),
  ].join("\n");
  for (const secret of SECRETS) expect(everything).not.toContain(secret);
  expect(everything).not.toContain("ticket");
  expect(everything).not.toContain("delete "); // the arguments themselves
});

test("an approver's edit that completes the approvals resolves the PagerDuty alert, like any decision", async () => {
  const gateway = await replica();
  let id = "";
  await heldEcho(
    gateway,
    "edit me",
    async (approvalId) => {
      id = approvalId;
      await pd.until((rs) => rs.some(about(id)));
      const res = await fetch(`${gateway}/api/approvals/${id}/edit`, {
        method: "POST",
        headers: { authorization: `Bearer ${await h.token("bob")}`, "content-type": "application/json" },
        body: JSON.stringify({ reason: "narrowed", arguments: { message: "edited" } }),
      });
      expect(res.status).toBe(200);
      await pd.until((rs) => rs.filter(about(id)).length === 2);
    },
    true,
  );
  expect(pd.received.filter(about(id)).map((x) => x.json.event_action)).toEqual(["trigger", "resolve"]);
});

test("short window: the gateway's scanner escalates (audited) to the second group, then reminds, each once across two replicas", async () => {
  const [a] = await Promise.all([replica(), replica()]);
  let id = "";
  await heldEcho(a, "short-window please", async (approvalId) => {
    id = approvalId;
    // Escalation: to the oncall group by e-mail; reminder: on the rule's channels (Slack, PagerDuty).
    await Promise.all([
      smtp.until((ms) => ms.some((m) => m.text?.includes(id) && m.subject?.startsWith("Escalated"))),
      slack.until((rs) => rs.some((x) => about(id)(x) && x.json.text.startsWith("Reminder"))),
      pd.until((rs) => rs.some((x) => about(id)(x) && x.json.payload?.custom_details?.event === "reminder")),
    ]);
    await approve(a, id);
    await pd.until((rs) => rs.some((x) => about(id)(x) && x.json.event_action === "resolve"));
  });
  const escalations = smtp.mails.filter((m) => m.text?.includes(id) && m.subject?.startsWith("Escalated"));
  expect(escalations).toHaveLength(1);
  expect(JSON.stringify(escalations[0].to)).toContain("oncall@example.com");
  expect(escalations[0].subject).toBe("Escalated: nobody has decided — A call to echo on everything needs approval");
  const reminders = slack.received.filter((x) => about(id)(x) && x.json.text.startsWith("Reminder"));
  expect(reminders).toHaveLength(1);
  expect(slack.received.filter(about(id))).toHaveLength(2); // the request and the reminder; the escalation went by e-mail
  expect(mailsTo("dba@example.com").filter((m) => m.text?.includes(id))).toHaveLength(0); // e-mail is not on the rule's channels
  expect(hooks.received.filter(about(id))).toHaveLength(0); // neither are Teams and the webhook

  const stored = (await store.get(id))!.record;
  expect(stored.remindedAt).not.toBeNull();
  expect(stored.escalatedAt).not.toBeNull();
  const trail = await readAuditTrail({ blobService: h.blobService });
  const escalated = [...trail.chains.values()]
    .flat()
    .filter((x) => x.kind === "approval.escalated" && x.decision.approvalId === id);
  expect(escalated).toHaveLength(1);
  expect(escalated[0].details).toMatchObject({ escalatedTo: "oncall", channels: ["email"] });
});

test("an alert raised only by the escalation (PagerDuty not on the rule's channels) is resolved by the decision", async () => {
  const gateway = await replica();
  let id = "";
  await heldEcho(gateway, "page-on-escalation please", async (approvalId) => {
    id = approvalId;
    await pd.until((rs) => rs.some((x) => about(id)(x) && x.json.event_action === "trigger"));
    await approve(gateway, id);
    await pd.until((rs) => rs.some((x) => about(id)(x) && x.json.event_action === "resolve"));
  });
  expect(pd.received.filter(about(id)).map((x) => x.json.event_action)).toEqual(["trigger", "resolve"]);
});

test("two scanners racing on the same due request: one reminder and one escalation", async () => {
  // A replica whose own scanner stays idle during the test: only the two racing scanners act.
  const gateway = await replica({ GATEHOUSE_APPROVAL_SCAN_SECONDS: 3600 });
  const id = await heldEcho(gateway, "short-window race", async () => undefined);
  const sent: { scanner: string; n: ApprovalNotification }[] = [];
  const later = () => new Date(Date.now() + 10_000); // past the escalation (2 s) and the reminder (3 s)
  const scanner = (name: string) =>
    new ApprovalReminders({
      store,
      audit: { sink: h.deps.audit, policyVersion: () => h.bundle.version },
      publicUrl: gateway,
      now: later,
      notifier: { notify: (n) => void sent.push({ scanner: name, n }), drain: async () => undefined },
    });
  const [s1, s2] = [scanner("one"), scanner("two")];
  for (let round = 0; round < 3; round++) await Promise.all([s1.scanOnce(), s2.scanOnce()]);
  const mine = sent.filter((x) => x.n.approvalId === id);
  expect(mine.map((x) => x.n.event).sort()).toEqual(["escalated", "reminder"]);
});

test("a request nobody decided: racing scanners expire it once (audited) and resolve its PagerDuty alert once", async () => {
  const gateway = await replica({ GATEHOUSE_APPROVAL_SCAN_SECONDS: 3600 });
  const id = await heldEcho(gateway, "short-window forgotten", async () => undefined);
  const settled: { approvalId: string; status: string }[] = [];
  const scanner = () =>
    new ApprovalReminders({
      store,
      audit: { sink: h.deps.audit, policyVersion: () => h.bundle.version },
      publicUrl: gateway,
      now: () => new Date(Date.now() + 120_000), // past the rule's 60 s expiry
      notifier: { notify: () => undefined, settled: (s) => void settled.push(s), drain: async () => undefined },
    });
  const [s1, s2] = [scanner(), scanner()];
  for (let round = 0; round < 2; round++) await Promise.all([s1.scanOnce(), s2.scanOnce()]);
  expect(settled.filter((s) => s.approvalId === id)).toEqual([
    { approvalId: id, status: "expired", channels: ["slack", "pagerduty"] },
  ]);
  expect((await store.get(id))!.record.status).toBe("expired");
  const trail = await readAuditTrail({ blobService: h.blobService });
  const expired = [...trail.chains.values()]
    .flat()
    .filter((x) => x.kind === "approval.expired" && x.decision.approvalId === id);
  expect(expired).toHaveLength(1);
});
