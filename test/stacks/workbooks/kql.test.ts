import { AUDITOR_QUERIES } from "../../../stacks/workbooks/auditor-queries";
import { AUDIT_WRITE_FAILURES_KQL, DENIAL_SPIKE_KQL } from "../../../stacks/workbooks/alert-queries";
import { KqlValidator } from "../../../stacks/workbooks/kql-validator";

describe("workbook and alert KQL against the declared schema", () => {
  let validator: KqlValidator;
  beforeAll(() => {
    validator = new KqlValidator();
  });

  const queries: [string, string][] = [
    ...AUDITOR_QUERIES.map((q): [string, string] => [`workbook: ${q.id}`, q.kql]),
    ["alert: audit write failures", AUDIT_WRITE_FAILURES_KQL],
    ["alert: denial spike", DENIAL_SPIKE_KQL],
  ];
  test.each(queries)("%s is valid", (_name, kql) => {
    expect(validator.check(kql)).toEqual([]);
  });

  test("the workbook covers every auditor question", () => {
    expect(AUDITOR_QUERIES.map((q) => q.id)).toEqual(
      expect.arrayContaining([
        "access-by-identity",
        "privileged-actions",
        "denials-and-blocks",
        "masking-events",
        "jit-grants",
        "policy-versions",
        "chain-anchors",
        "reconciliation-by-kind",
        "reconciliation-by-chain",
        "waf-blocks",
        "approval-decision-times",
        "approvals-per-approver",
      ]),
    );
  });

  test("a misspelt column is caught", () => {
    const problems = validator.check('AppTraces | where Mesage == "gatehouse.audit"');
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringContaining("Mesage"), offset: 18 })]);
  });

  test("a misspelt Front Door WAF column is caught", () => {
    expect(
      validator.check(
        'AzureDiagnostics | where Category == "FrontDoorWebApplicationFirewallLog" | summarize count() by clientIp_s',
      ),
    ).toEqual([expect.objectContaining({ message: expect.stringContaining("clientIp_s") })]);
  });

  test("an unknown table is caught", () => {
    expect(validator.check("AppTrace | take 1")).toEqual([
      expect.objectContaining({ message: expect.stringContaining("AppTrace") }),
    ]);
  });

  test("a syntax error is caught", () => {
    expect(validator.check("AppTraces | summarize count() by").length).toBeGreaterThan(0);
  });

  test("a misspelt custom dimension is caught", () => {
    expect(validator.check("AppTraces | extend who = tostring(Properties.actor_uid)")).toEqual([
      expect.objectContaining({ message: "unknown custom dimension Properties.actor_uid" }),
    ]);
    expect(validator.check('AppTraces | extend who = tostring(Properties["actor_oid"])')).toEqual([]);
  });

  test("a type error is caught (summing a string column)", () => {
    expect(validator.check("AppTraces | summarize sum(Message)").length).toBeGreaterThan(0);
  });
});
