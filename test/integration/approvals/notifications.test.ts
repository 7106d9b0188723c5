/**
 * Notifications to a real local HTTP receiver: the signed webhook (HMAC verified as a receiver
 * would), the Teams Adaptive Card, retries with backoff after failures, and a held call that is
 * never delayed by a receiver that hangs.
 */
import http from "node:http";
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { DEMO } from "../../../dev/local-issuer-launcher";
import {
  createWebhookNotifier,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "../../../runtime/core/approvals/notifications/webhook-notifier";
import { createTeamsNotifier } from "../../../runtime/core/approvals/notifications/teams-notifier";
import type { ApprovalNotification } from "../../../runtime/core/approvals/notifications/notifier";
import { startApprovalsStack } from "./support/approvals-stack";

const SECRET = "a-shared-secret-of-some-length";

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver that answers the scripted statuses in order (then 200), or never answers ("hang"). */
async function receiver(script: (number | "hang")[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const next = script.shift() ?? 200;
      if (next === "hang") return;
      res.writeHead(next).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const note: ApprovalNotification = {
  approvalId: randomUUID(),
  kind: "tool-call",
  url: "http://127.0.0.1:8080/approvals#approval-x",
  requester: "alice@gatehouse.local",
  server: "customers",
  tool: "delete_customer",
  ruleId: "delete-customer",
  count: 1,
  approvers: { roles: ["Approver"], groups: [] },
  expiresAt: new Date().toISOString(),
};

function verify(r: Received): boolean {
  const ts = String(r.headers[TIMESTAMP_HEADER]);
  const want = Buffer.from("sha256=" + createHmac("sha256", SECRET).update(`${ts}.${r.body}`).digest("hex"));
  const got = Buffer.from(String(r.headers[SIGNATURE_HEADER]));
  return got.length === want.length && timingSafeEqual(got, want);
}

test("the webhook carries an HMAC-SHA256 signature a receiver can verify", async () => {
  const rx = await receiver();
  try {
    const n = createWebhookNotifier({ url: rx.url, secret: SECRET });
    n.notify(note);
    await n.drain();
    expect(rx.received).toHaveLength(1);
    expect(verify(rx.received[0])).toBe(true);
    expect(JSON.parse(rx.received[0].body)).toMatchObject({
      type: "gatehouse.approval.requested",
      approval: { approvalId: note.approvalId },
    });
    // a tampered body does not verify
    expect(verify({ ...rx.received[0], body: rx.received[0].body.replace("alice", "mallory") })).toBe(false);
  } finally {
    await rx.close();
  }
});

test("failed deliveries are retried with backoff until the receiver accepts", async () => {
  const rx = await receiver([500, 503]);
  try {
    const n = createWebhookNotifier({ url: rx.url, secret: SECRET, baseDelayMs: 50 });
    n.notify(note);
    await n.drain();
    expect(rx.received).toHaveLength(3);
    expect(rx.received.every(verify)).toBe(true);
  } finally {
    await rx.close();
  }
});

test("the Teams message is an Adaptive Card linking to the approval page, without arguments", async () => {
  const rx = await receiver([502]);
  try {
    const n = createTeamsNotifier({ webhookUrl: rx.url, baseDelayMs: 20 });
    n.notify(note);
    await n.drain();
    expect(rx.received).toHaveLength(2);
    const msg = JSON.parse(rx.received[1].body);
    const card = msg.attachments[0];
    expect(card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(card.content.type).toBe("AdaptiveCard");
    expect(card.content.actions[0]).toEqual({ type: "Action.OpenUrl", title: "Review the request", url: note.url });
    expect(rx.received[1].body).not.toContain("arguments");
  } finally {
    await rx.close();
  }
});

test("a receiver that hangs never delays the held call", async () => {
  const rx = await receiver(["hang"]);
  // One attempt that would hang for 60 s: if notifying blocked the call, onPending and the
  // approval could not happen before the delivery ended.
  const notifier = createWebhookNotifier({ url: rx.url, secret: SECRET, attempts: 1, timeoutMs: 60_000 });
  const stack = await startApprovalsStack({ notifier });
  try {
    let deliveryFinished = false;
    const result = await stack.coordinator.requestAndWait({
      identity: {
        oid: DEMO.users.alice.oid,
        tenantId: DEMO.tenantId,
        username: "alice@gatehouse.local",
        roles: ["Engineer"],
        groups: [],
        groupsOverage: false,
        via: "entra",
        jit: null,
      },
      server: "customers",
      tool: "delete_customer",
      args: { id: "n-1" },
      maskedArgs: { id: "n-1" },
      rule: {
        id: "delete-customer",
        description: "",
        servers: ["customers"],
        tools: ["delete_customer"],
        when: [],
        approvers: { roles: ["Approver"], groups: [] },
        count: 1,
        expiresAfterSeconds: 600,
      },
      correlationId: randomUUID(),
      signal: new AbortController().signal,
      maxWaitMs: 20_000,
      onPending: (p) => {
        void notifier.drain().then(() => (deliveryFinished = true));
        void stack.api("POST", `/api/approvals/${p.approvalId}/approve`, "bob", { reason: "go" });
      },
    });
    expect(result.outcome).toBe("approved");
    expect(deliveryFinished).toBe(false); // the notification is still hanging
  } finally {
    await rx.close();
    await notifier.drain();
    await stack.stop();
  }
});
