import { diffBundles } from "../../../runtime/core/policy/bundle-diff";
import { renderDiffMarkdown } from "../../../runtime/core/policy/bundle-diff-report";
import { fixtureBundle } from "./bundle-fixture";

const base = fixtureBundle({
  masking: [{ id: "pii", detectors: ["email", "us_ssn"], style: "hash", scope: "both" }],
  approvals: [
    {
      id: "deletes",
      servers: ["customers"],
      tools: ["delete_*"],
      approvers: { roles: ["Approver"] },
      count: 2,
      expiresAfterSeconds: 600,
    },
  ],
});
const cats = (d: ReturnType<typeof diffBundles>) => d.changes.map((c) => c.category);

describe("diffBundles", () => {
  it("finds nothing between identical bundles, and ignores rule renames that keep access the same", () => {
    expect(diffBundles(base, base)).toEqual({ changes: [], widened: false });
    const renamed = fixtureBundle({
      ...base,
      access: base.access.map((r) => (r.id === "engineers" ? { ...r, id: "eng" } : r)),
    });
    expect(diffBundles(base, renamed).changes).toEqual([]);
  });

  it("reports removed deny globs, removed constraints, longer and looser JIT as widening", () => {
    const head = fixtureBundle({
      ...base,
      access: base.access.map((r) =>
        r.id === "engineers"
          ? { ...r, tools: { allow: ["*"], deny: [] }, argumentConstraints: [] }
          : r.id === "ops-jit"
            ? { ...r, jit: { maxMinutes: 240, grant: "on-request", approvers: { roles: [], groups: [] } } }
            : r,
      ),
    });
    const d = diffBundles(base, head);
    expect(d.widened).toBe(true);
    const texts = d.changes.filter((c) => c.category === "access-widened").map((c) => c.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/role Engineer on `files` \(standing\): tools no longer denied `write_\*`/),
        expect.stringMatching(/argument constraints removed/),
        expect.stringMatching(/role Ops on `files` \(jit\): JIT sessions up to 240 min \(was 60\)/),
      ]),
    );
  });

  it("treats standing access replacing JIT as widening (gains standing) and narrowing (loses jit)", () => {
    const head = fixtureBundle({
      ...base,
      access: base.access.map((r) => (r.id === "ops-jit" ? { ...r, mode: "standing" } : r)),
    });
    expect(cats(diffBundles(base, head)).sort()).toEqual(["access-narrowed", "access-widened"]);
  });

  it("grades masking changes: scope, style, detectors, coverage, unscannable", () => {
    const weaker = fixtureBundle({
      ...base,
      masking: [{ id: "pii", detectors: ["email"], style: "last4", scope: "audit", tools: ["get_*"] }],
      maskingSettings: { onUnscannable: "pass" },
    });
    const d = diffBundles(base, weaker);
    expect(d.widened).toBe(true);
    expect(d.changes.map((c) => c.text)).toEqual([
      "rule `pii` no longer masks `us_ssn`",
      "rule `pii` style hash -> last4",
      "rule `pii` no longer masks the client copy",
      "rule `pii` tools no longer covers `*`",
      "rule `pii` tools now covers `get_*`",
      "unscannable results now pass unmasked (onUnscannable: pass)",
    ]);
    const stronger = diffBundles(weaker, base);
    expect(stronger.changes.filter((c) => c.category === "masking-weakened").map((c) => c.text)).toEqual([
      "rule `pii` tools no longer covers `get_*`",
    ]);
  });

  it("grades approval changes: more approvers or shorter expiry tighten, anything else needs review", () => {
    const withApproval = (a: object) => fixtureBundle({ ...base, approvals: [{ ...base.approvals[0], ...a }] });
    expect(cats(diffBundles(base, withApproval({ count: 3, expiresAfterSeconds: 300 })))).toEqual(["approvals-added"]);
    expect(cats(diffBundles(base, withApproval({ count: 1 })))).toEqual(["approvals-removed"]);
    expect(cats(diffBundles(base, withApproval({ tools: ["delete_customer"] })))).toEqual(["approvals-removed"]);
    expect(cats(diffBundles(base, withApproval({ description: "reworded" })))).toEqual([]);
    expect(cats(diffBundles(base, fixtureBundle({ ...base, approvals: [] })))).toEqual(["approvals-removed"]);
  });

  it("grades guardrail and server changes", () => {
    const guards = base.guardrails;
    expect(cats(diffBundles(base, fixtureBundle({ ...base, guardrails: guards.slice(1) })))).toEqual([
      "guardrails-removed",
    ]);
    expect(
      cats(
        diffBundles(base, fixtureBundle({ ...base, guardrails: guards.map((g) => ({ ...g, message: "new words" })) })),
      ),
    ).toEqual(["guardrails-added", "guardrails-added"]);
    expect(
      cats(diffBundles(base, fixtureBundle({ ...base, guardrails: guards.map((g) => ({ ...g, tools: ["x"] })) }))),
    ).toEqual(["guardrails-removed", "guardrails-removed"]);
    const servers = base.servers.map((s) =>
      s.name === "customers"
        ? { ...s, transport: { type: "http" as const, url: "https://elsewhere.example.com/mcp" } }
        : s,
    );
    const d = diffBundles(base, fixtureBundle({ ...base, servers }));
    expect(d).toEqual({
      changes: [{ category: "servers-changed", text: expect.stringMatching(/server `customers` definition changed/) }],
      widened: false,
    });
  });
});

describe("renderDiffMarkdown", () => {
  it("puts what lowers protection first and says when nothing changed", () => {
    const head = fixtureBundle({
      ...base,
      approvals: [],
      guardrails: [...base.guardrails, { id: "extra", servers: ["*"], message: "x" }],
    });
    const md = renderDiffMarkdown(
      diffBundles(base, head),
      { label: "`main`", bundle: base },
      { label: "working tree", bundle: head },
    );
    expect(md.indexOf("### Approvals removed or relaxed")).toBeLessThan(
      md.indexOf("### Guardrails added or tightened"),
    );
    expect(md).toMatch(/\*\*This change lowers protection\*\*/);
    expect(
      renderDiffMarkdown(diffBundles(base, base), { label: "a", bundle: base }, { label: "b", bundle: base }),
    ).toMatch(/No change/);
  });
});
