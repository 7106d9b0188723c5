import { compileBundle, Detector, MaskingRule, type MaskingRuleProps } from "../../../policies/lib";
import { expectOneProblem, problemsOf, validSet } from "./policy-fixture";

function withRule(props: MaskingRuleProps, id = "bad") {
  const { set } = validSet();
  new MaskingRule(set, id, props);
  return set;
}

describe("MaskingRule", () => {
  it("Compliance: defaults mask every server and tool, redact, both copies", () => {
    const bundle = compileBundle(withRule({ detectors: [Detector.EMAIL] }, "mail"), { commit: null });
    expect(bundle.masking).toEqual([
      {
        id: "mail",
        description: "",
        servers: ["*"],
        tools: ["*"],
        detectors: ["email"],
        patterns: [],
        fieldNames: [],
        fieldPaths: [],
        style: "redact",
        scope: "both",
      },
    ]);
  });

  it.each([
    ["Noncompliance 1: masks nothing", {}, /masks nothing/],
    ["Noncompliance 2: unknown detector", { detectors: ["credit-card" as never] }, /not built-in detectors/],
    ["Noncompliance 3: duplicate detector", { detectors: [Detector.EMAIL, Detector.EMAIL] }, /more than once/],
    ["Noncompliance 4: empty tools", { detectors: [Detector.EMAIL], tools: [] }, /servers or tools is empty/],
    ["Noncompliance 5: bad style", { detectors: [Detector.EMAIL], style: "blur" as never }, /style/],
    ["Noncompliance 6: bad scope", { detectors: [Detector.EMAIL], scope: "none" as never }, /scope/],
    [
      "Noncompliance 7: bad pattern name",
      { patterns: [{ name: "Order ID", regex: "ORD-\\d+" }] },
      /patterns\[0\]\.name/,
    ],
    [
      "Noncompliance 8: backreference pattern",
      { patterns: [{ name: "rep", regex: "(\\w+) \\1" }] },
      /not a linear-time/,
    ],
    ["Noncompliance 9: empty pattern", { patterns: [{ name: "e", regex: "" }] }, /regex is empty/],
    [
      "Noncompliance 10: duplicate pattern names",
      {
        patterns: [
          { name: "p", regex: "a" },
          { name: "p", regex: "b" },
        ],
      },
      /used more than once/,
    ],
    ["Noncompliance 11: empty field name", { fieldNames: [" "] }, /fieldNames has an empty name/],
    ["Noncompliance 12: bad field path", { fieldPaths: ["a..b"] }, /empty segment/],
    [
      "Noncompliance 13: client only",
      { detectors: [Detector.US_SSN], scope: "client" },
      /not at least as strictly in the audit copy/,
    ],
  ] as [string, MaskingRuleProps, RegExp][])("%s", (_name, props, word) => {
    expectOneProblem(withRule(props), "org/bad", word);
  });

  it("Noncompliance: an audit rule weaker than the client rule (last4 vs redact)", () => {
    const { set } = validSet();
    new MaskingRule(set, "client-cards", { detectors: [Detector.CREDIT_CARD], scope: "client", style: "redact" });
    new MaskingRule(set, "audit-cards", { detectors: [Detector.CREDIT_CARD], scope: "audit", style: "last4" });
    expect(problemsOf(set)).toEqual([
      expect.stringMatching(/^org\/client-cards: detector credit_card is masked for the client but not/),
    ]);
  });

  it("Noncompliance: an audit rule covering fewer servers than the client rule", () => {
    const { set } = validSet();
    new MaskingRule(set, "client-cards", { detectors: [Detector.CREDIT_CARD], scope: "client" });
    new MaskingRule(set, "audit-cards", { detectors: [Detector.CREDIT_CARD], scope: "audit", servers: ["crm"] });
    expect(problemsOf(set)).toHaveLength(1);
  });

  it("Compliance: a client rule covered by an audit rule at least as strict", () => {
    const { set } = validSet();
    new MaskingRule(set, "client-cards", {
      detectors: [Detector.CREDIT_CARD],
      scope: "client",
      style: "last4",
      servers: ["crm"],
    });
    new MaskingRule(set, "audit-cards", { detectors: [Detector.CREDIT_CARD], scope: "audit", style: "hash" });
    new MaskingRule(set, "audit-only", { fieldNames: ["notes"], scope: "audit" });
    expect(() => compileBundle(set, { commit: null })).not.toThrow();
  });

  it("Noncompliance: a server glob that matches no declared server", () => {
    expectOneProblem(
      withRule({ detectors: [Detector.EMAIL], servers: ["hr-*"] }),
      "org/bad",
      /match no declared server/,
    );
  });
});
