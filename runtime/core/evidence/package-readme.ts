/**
 * README.md inside every evidence package: what it is, who produced it and how, how complete it
 * is, how to verify it offline, and a column dictionary for each file — so the package can go to
 * an audit firm as it is, without this repository.
 */
import { describeColumn, isTimeColumn } from "./column-dictionary";
import type { EvidenceManifest } from "./manifest-schema";
import { EXCEPTION_COLUMNS } from "./report-types";

export interface ReadmeInput {
  /** The manifest without `files` and `signature` (the README is one of the files). */
  readonly manifest: Omit<EvidenceManifest, "files" | "signature">;
  readonly columns: readonly string[];
  /** Extra files: name and, for CSVs, columns. */
  readonly extraFiles: readonly { name: string; columns?: readonly string[] }[];
  readonly signed: boolean;
}

function table(report: string, columns: readonly string[]): string[] {
  const rows = columns.map(
    (c) => `| \`${isTimeColumn(c) ? `${c} (UTC)` : c}\` | ${describeColumn(report, c) ?? "(undocumented)"} |`,
  );
  return ["| column | meaning |", "| --- | --- |", ...rows];
}

export function packageReadme(r: ReadmeInput): string {
  const m = r.manifest;
  const name = m.report.name;
  const by = m.producedBy;
  const lines = [
    `# Evidence package: ${name} (report version ${m.report.version})`,
    "",
    `Period: ${m.period.from} (inclusive) to ${m.period.to} (exclusive). All times in this package are UTC (ISO-8601, suffix Z).`,
    "",
    "## How it was produced",
    "",
    ...(by
      ? [
          `- Command: \`${by.command}\``,
          `- Run by: ${by.user.username ?? by.user.oid ?? "unknown"} (identified by: ${by.user.source}) at ${by.at}`,
          `- Tool: ${by.tool.name} ${by.tool.version}`,
          by.kql
            ? `- Log Analytics query (KQL):\n\n\`\`\`kusto\n${by.kql}\n\`\`\``
            : "- Query: computed from the WORM audit container's hash chains by the versioned report above (not from Log Analytics: no KQL).",
        ]
      : [`- Extracted at ${m.extractedAt} with ${m.generator.name} ${m.generator.version}`]),
    `- Source: ${m.source.type} ${m.source.endpoint ?? ""} container \`${m.source.container}\`, chains ${m.source.chains.join(", ") || "(none)"}`,
    `- Chain verification: ${m.chainVerification?.summary ?? "not run"}`,
    "",
    "## Completeness",
    "",
    m.completeness ?? "",
    "",
    "## Verifying this package",
    "",
    "- `manifest.json` lists the sha256 and size of every other file: `sha256sum <file>` must match.",
    r.signed
      ? "- `manifest.json` is signed (`signature`) with the gateway's checkpoint key: `gatehouse evidence verify <zip> --public-key <gateway-key.jwk.json>` checks every hash, the completeness figures and the signature offline, with the public key alone."
      : "- `manifest.json` is NOT signed (no signing key was available when it was produced): hashes and completeness can be checked with `gatehouse evidence verify <zip>`, authorship cannot.",
    "- Every export is itself recorded in the audit trail (`evidence.exported`, with the sha256 of this manifest.json).",
    "",
    "## Files",
    "",
    `### \`${name}.csv\` and \`${name}.jsonl\``,
    "",
    `One row per item (RFC 4180 CSV; text starting with = + - @ is prefixed with ' so a spreadsheet never runs it). The JSONL holds the same rows as JSON objects with the same keys${name === "sample" ? " (sample: one full document per event, with its chain proof)" : ""}.`,
    "",
    ...table(name, r.columns),
    "",
    `### \`${name}.exceptions.csv\` and \`${name}.exceptions.jsonl\``,
    "",
    "Findings that must be empty in a healthy system (kinds are explained in docs/evidence.md of Gatehouse).",
    "",
    ...table("exceptions", EXCEPTION_COLUMNS),
    ...r.extraFiles.flatMap((f) => [
      "",
      `### \`${f.name}\``,
      "",
      ...(f.columns
        ? table(name, f.columns)
        : ["A JSON document for compliance tools (schema named in its `schema` field)."]),
    ]),
    "",
    "### `manifest.json`",
    "",
    "How the evidence was produced (`producedBy`, `source`, `filters`, `extractedAt`), how complete it is (`recordCount`, per chain `firstSeq`..`lastSeq`, `hashBefore`, `hashAtEnd`, `completeness`), the sha256 of every file (`files`) and its `signature`.",
    "",
  ];
  return lines.join("\n");
}
