import type { PolicyBundle } from "../policy-model/schema";
import { DIFF_CATEGORIES, type BundleDiff, type DiffCategory } from "./bundle-diff";

const TITLES: Record<DiffCategory, string> = {
  "access-widened": "Access widened",
  "masking-weakened": "Masking weakened",
  "approvals-removed": "Approvals removed or relaxed",
  "guardrails-removed": "Guardrails removed or relaxed",
  "servers-changed": "Servers changed",
  "access-narrowed": "Access narrowed",
  "masking-strengthened": "Masking strengthened",
  "approvals-added": "Approvals added or tightened",
  "guardrails-added": "Guardrails added or tightened",
};

/** Highest risk first: what lowers protection, then server changes, then what raises it. */
const ORDER: DiffCategory[] = [
  "access-widened",
  "masking-weakened",
  "approvals-removed",
  "guardrails-removed",
  "servers-changed",
  "access-narrowed",
  "masking-strengthened",
  "approvals-added",
  "guardrails-added",
];

const short = (b: PolicyBundle) =>
  `version \`${b.version.slice(0, 12)}\`${b.commit ? `, commit \`${b.commit.slice(0, 12)}\`` : ""}`;

/** The Markdown report posted on the pull request. */
export function renderDiffMarkdown(
  diff: BundleDiff,
  base: { label: string; bundle: PolicyBundle },
  head: { label: string; bundle: PolicyBundle },
): string {
  const lines = [
    "## Gatehouse policy diff",
    "",
    `Base: ${base.label} (${short(base.bundle)}). Head: ${head.label} (${short(head.bundle)}).`,
    "",
  ];
  if (diff.changes.length === 0) {
    lines.push("No change to access, masking, approvals, guardrails or servers.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(
    diff.widened
      ? "**This change lowers protection**: it needs a reviewer's explicit approval (label)."
      : "This change does not widen access or lower protection.",
    "",
  );
  for (const cat of ORDER.filter((c) => DIFF_CATEGORIES.includes(c))) {
    const items = diff.changes.filter((c) => c.category === cat);
    if (items.length === 0) continue;
    lines.push(`### ${TITLES[cat]}`, "", ...items.map((c) => `- ${c.text}`), "");
  }
  return `${lines.join("\n")}`;
}
