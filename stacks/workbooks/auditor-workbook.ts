/**
 * The auditor workbook (azurerm_application_insights_workbook): one section per auditor question,
 * each a KQL query over the Log Analytics workspace, under one time-range parameter. With several
 * regions (GATEHOUSE_REGIONS) every query runs over every region's workspace as one population:
 * each item lists them all in `crossComponentResources`, the workbook's way of querying several
 * resources at once (Azure Monitor workbooks, "Data sources" — Logs, multiple resources:
 * github.com/microsoft/Application-Insights-Workbooks Documentation/DataSources; the resulting
 * query is an implicit cross-workspace union, learn.microsoft.com/azure/azure-monitor/logs/api/
 * cross-workspace-queries, at most 10 workspaces per query through that API). The KQL stays as
 * checked by the tests: no `workspace("...")` literal per region to keep in step.
 */
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { Fn, Lazy } from "cdktf";
import { ApplicationInsightsWorkbook } from "@cdktf/provider-azurerm/lib/application-insights-workbook";
import { AUDITOR_QUERIES, type WorkbookQuery } from "./auditor-queries";
import { terraformLiteral } from "../terraform-literal";

const WORKSPACE_RESOURCE_TYPE = "microsoft.operationalinsights/workspaces";

/** Workbook resources are named by GUID: derive a stable one from the environment. */
export function workbookGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Cross-workspace queries through the Log Analytics query API take at most 10 workspaces. */
export const MAX_WORKBOOK_WORKSPACES = 10;

/**
 * The workbook's JSON (Notebook/1.0). `workspaceId` (the decision region's) may be a token;
 * `otherWorkspaceIds` are the other regions' workspaces, queried with it as one population.
 */
export function auditorWorkbookJson(
  workspaceId: string,
  queries: readonly WorkbookQuery[] = AUDITOR_QUERIES,
  otherWorkspaceIds: readonly string[] = [],
): string {
  if (otherWorkspaceIds.length + 1 > MAX_WORKBOOK_WORKSPACES)
    throw new TypeError(
      `the auditor workbook queries at most ${MAX_WORKBOOK_WORKSPACES} workspaces, received ${otherWorkspaceIds.length + 1}`,
    );
  // Only with several regions: a one-region workbook stays exactly as it was.
  const across = otherWorkspaceIds.length > 0 ? { crossComponentResources: [workspaceId, ...otherWorkspaceIds] } : {};
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
        ...across,
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
          ...across,
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
  private readonly otherWorkspaceIds: string[] = [];

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
      // Lazy: secondary regions add their workspaces after the workbook exists.
      dataJson: Lazy.stringValue({
        produce: () => auditorWorkbookJson(props.workspaceId, AUDITOR_QUERIES, this.otherWorkspaceIds),
      }),
      tags: props.tags,
    });
  }

  /** Another region's workspace: every section then queries it too. */
  addRegionWorkspace(workspaceId: string): void {
    this.otherWorkspaceIds.push(workspaceId);
  }
}
