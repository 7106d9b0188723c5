/**
 * The pure parts behind the approver's page (issue 19): where sign-in may return to (never an
 * open redirect), the rule in words, the requireReason prop's validation, the history's date
 * forms, and the labels of masked values (a hash fingerprint is shown, the value never).
 */
import { validateApprovalRuleProps } from "../../../policies/lib/validate-approval-rule-props";
import { HistoryFilterSchema } from "../../../runtime/core/approvals/approval-history";
import { describeRule } from "../../../runtime/core/approvals/rule-text";
import { isIrreversible, ToolCatalog } from "../../../runtime/core/approvals/tool-catalog";
import { maskedArgsTable } from "../../../runtime/gateway/approvals/masked-args-html";
import { safeReturnPath } from "../../../runtime/gateway/approvals/return-path";

const ID = "6195d7a2-2a1d-4cda-8c18-c5cbaaaaff45";

test("sign-in returns only to the page's own views", () => {
  expect(safeReturnPath(`/approvals/${ID}`)).toBe(`/approvals/${ID}`);
  expect(safeReturnPath("/approvals/history?status=rejected&tool=delete_customer")).toBe(
    "/approvals/history?status=rejected&tool=delete_customer",
  );
  for (const bad of [
    "https://evil.example/approvals",
    "//evil.example",
    "/approvals/../admin",
    `/approvals/${ID}/decide`,
    "/approvals/history?x=<script>",
    "/approvalsx",
    42,
    undefined,
  ]) {
    expect(safeReturnPath(bad)).toBe("/approvals");
  }
});

test("the rule in words names the calls, the conditions, the approvers, the expiry and a required reason", () => {
  const text = describeRule({
    id: "bulk",
    description: "",
    servers: ["customers"],
    tools: ["delete_customer", "purge_*"],
    count: 2,
    expiresAfterSeconds: 7200,
    requireReason: true,
    when: [{ path: "ids", op: "lengthGt", value: 1 }],
    approvers: { roles: ["Approver"], groups: ["dba"] },
  });
  expect(text).toBe(
    "Calls to delete_customer or purge_* on customers when ids has more than 1 items need 2 different approvers holding role Approver or group dba, never the requester; undecided after 2 hours means denied. The requester must give a reason.",
  );
});

test("requireReason must be a boolean", () => {
  const base = { servers: ["customers"], tools: ["delete_customer"], approvers: { roles: ["Approver"] } };
  expect(validateApprovalRuleProps("Stack/Rule", "rule", { ...base, requireReason: true })).toEqual([]);
  expect(
    validateApprovalRuleProps("Stack/Rule", "rule", { ...base, requireReason: "yes" as unknown as boolean }).join("\n"),
  ).toMatch(/requireReason must be true or false/);
});

test("history dates take a day (the whole UTC day for `to`) or a timestamp, and refuse anything else", () => {
  const f = HistoryFilterSchema.parse({ from: "2026-11-28", to: "2026-11-28" });
  expect(f.from?.toISOString()).toBe("2026-11-28T00:00:00.000Z");
  expect(f.to?.toISOString()).toBe("2026-11-28T23:59:59.999Z");
  expect(HistoryFilterSchema.parse({ from: "2026-11-28T18:47:21Z" }).from?.toISOString()).toBe(
    "2026-11-28T18:47:21.000Z",
  );
  expect(HistoryFilterSchema.safeParse({ to: "yesterday" }).success).toBe(false);
  expect(HistoryFilterSchema.parse({}).status).toBe("all");
});

test("masked values are labelled by type; the hash style shows its fingerprint", () => {
  const html = maskedArgsTable(
    {
      card: "[HASH:credit_card:0123456789abcdef]",
      mail: "to [REDACTED:email] now",
      ssn: "[REDACTED:us_ssn:…6789]",
      n: 3,
    },
    "x",
  );
  expect(html).toMatch(/masked credit_card, fingerprint <code>0123456789abcdef<\/code>/);
  expect(html).toMatch(/masked email/);
  expect(html).toMatch(/masked us_ssn, ending 6789/);
  expect(html).toMatch(/<code>n<\/code><\/th><td><code class="val">3<\/code><\/td><td>not masked/);
});

test("a destructive tool seen in tools/list is irreversible; an unseen or read-only one is not", () => {
  const c = new ToolCatalog();
  c.remember("customers", [
    { name: "delete_customer", description: "d", annotations: { destructiveHint: true, idempotentHint: true } },
    { name: "get_customer", annotations: { readOnlyHint: true } },
    { nope: 1 },
  ]);
  expect(isIrreversible(c.lookup("customers", "delete_customer"))).toBe(true);
  expect(isIrreversible(c.lookup("customers", "get_customer"))).toBe(false);
  expect(isIrreversible(c.lookup("customers", "list_customers"))).toBe(false);
  expect(c.lookup("files", "delete_customer")).toBeNull();
});
