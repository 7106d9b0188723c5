/**
 * The auditor workbook (azurerm_application_insights_workbook): one section per auditor question,
 * each a KQL query over the Log Analytics workspace, under one time-range parameter.
 */
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { Fn } from "cdktf";
import { ApplicationInsightsWorkbook } from "@cdktf/provider-azurerm/lib/application-insights-workbook";
import { AUDITOR_QUERIES, type WorkbookQuery } from "./auditor-queries";
import { terraformLiteral } from "../terraform-literal";

const WORKSPACE_RESOURCE_TYPE = "microsoft.operationalinsights/workspaces";

/** Workbook resources are named by GUID: derive a stable one from the environment. */
export function workbookGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The workbook's JSON (Notebook/1.0). `workspaceId` may be a token. */
export function auditorWorkbookJson(workspaceId: string, queries: readonly WorkbookQuery[] = AUDITOR_QUERIES): string {
  const sections = queries.flatMap((q) => [
    { type: 1, name: `${q.id}-about`, content: { json: `## ${q.title}\n${q.description}` } },
    {
      type: 3,
      name: q.id,
      content: {
        version: "KqlItem/1.0",
        query: terraformLiteral(q.kql),
        size: 0,
        title: q.title,
        timeContextFromParameter: "TimeRange",
        queryType: 0,
        resourceType: WORKSPACE_RESOURCE_TYPE,
        visualization: q.visualization,
        showExportToExcel: true,
      },
    },
  ]);
  return JSON.stringify({
    version: "Notebook/1.0",
    items: [
      {
        type: 1,
        name: "intro",
        content: {
          json: "# Gatehouse audit evidence\nEvery MCP call through the gateway, from the audit records' log copy. The hash-chained records in the `audit` container are authoritative: verify them with `gatehouse audit verify` (docs/auditor-guide.md).",
        },
      },
      {
        type: 9,
        name: "parameters",
        content: {
          version: "KqlParameterItem/1.0",
          parameters: [
            {
              id: "time-range",
              version: "KqlParameterItem/1.0",
              name: "TimeRange",
              label: "Period",
              type: 4,
              isRequired: true,
              value: { durationMs: 7 * 24 * 3600 * 1000 },
              typeSettings: {
                allowCustom: true,
                selectableValues: [1, 7, 30, 90, 365].map((d) => ({ durationMs: d * 24 * 3600 * 1000 })),
              },
            },
          ],
          style: "pills",
          queryType: 0,
          resourceType: WORKSPACE_RESOURCE_TYPE,
        },
      },
      ...sections,
    ],
    fallbackResourceIds: [workspaceId],
    $schema: "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json",
  });
}

export interface AuditorWorkbookProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly workspaceId: string;
  /** Seed of the workbook's GUID name (environment and subscription). */
  readonly seed: string;
  readonly tags: Record<string, string>;
}

export class AuditorWorkbook extends Construct {
  readonly workbook: ApplicationInsightsWorkbook;

  constructor(scope: Construct, id: string, props: AuditorWorkbookProps) {
    super(scope, id);
    this.workbook = new ApplicationInsightsWorkbook(this, "workbook", {
      name: workbookGuid(`gatehouse-auditor/${props.seed}`),
      displayName: "Gatehouse — auditor evidence",
      description:
        "Access, approvals, denials, masking, JIT grants, policy versions and chain anchors (SOC 2 evidence)",
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      category: "workbook",
      // The provider requires a lower-case source id.
      sourceId: Fn.lower(props.workspaceId),
      dataJson: auditorWorkbookJson(props.workspaceId),
      tags: props.tags,
    });
  }
}
