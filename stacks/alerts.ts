/**
 * Alerts on what must never go unnoticed: audit writes failing (every failure refused a call, and
 * may mean the archive is unreachable) and a spike of denials (probing or a broken policy).
 */
import { Construct } from "constructs";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";
import { terraformLiteral } from "./terraform-literal";
import { AUDIT_WRITE_FAILURES_KQL, DENIAL_SPIKE_KQL } from "./workbooks/alert-queries";

export interface AlertsProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly prefix: string;
  /** Log Analytics workspace the queries run in (the App* tables). */
  readonly workspaceId: string;
  /** Who is e-mailed. @default - no e-mail receivers (alerts still fire in Azure Monitor) */
  readonly emails: readonly string[];
  /** Denials within 15 minutes that raise the spike alert. @default 50 */
  readonly denialSpikeThreshold?: number;
  readonly tags: Record<string, string>;
}

export class Alerts extends Construct {
  readonly actionGroup: MonitorActionGroup;
  readonly auditWriteFailures: MonitorScheduledQueryRulesAlertV2;
  readonly denialSpike: MonitorScheduledQueryRulesAlertV2;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.actionGroup = new MonitorActionGroup(this, "action-group", {
      name: `ag-${props.prefix}-security`,
      resourceGroupName: props.resourceGroupName,
      shortName: "gatehouse",
      emailReceiver: props.emails.map((email, i) => ({
        name: `email-${i + 1}`,
        emailAddress: email,
        useCommonAlertSchema: true,
      })),
      tags: props.tags,
    });
    const common = {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      scopes: [props.workspaceId],
      action: { actionGroups: [this.actionGroup.id] },
      autoMitigationEnabled: true,
      tags: props.tags,
    };
    this.auditWriteFailures = new MonitorScheduledQueryRulesAlertV2(this, "audit-write-failures", {
      ...common,
      name: `alert-${props.prefix}-audit-write-failures`,
      displayName: "Gatehouse: audit writes failing",
      description:
        "The gateway could not make audit records durable and refused the calls (fail closed). Check the audit storage account and its private endpoint.",
      severity: 1,
      evaluationFrequency: "PT5M",
      windowDuration: "PT5M",
      criteria: [
        {
          query: terraformLiteral(AUDIT_WRITE_FAILURES_KQL),
          timeAggregationMethod: "Total",
          metricMeasureColumn: "failures",
          operator: "GreaterThan",
          threshold: 0,
          failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
        },
      ],
    });
    this.denialSpike = new MonitorScheduledQueryRulesAlertV2(this, "denial-spike", {
      ...common,
      name: `alert-${props.prefix}-denial-spike`,
      displayName: "Gatehouse: spike of denied or blocked calls",
      description:
        "Many calls were denied or blocked by policy: someone probing, or a policy change that broke legitimate access. See the workbook's Denials section.",
      severity: 2,
      evaluationFrequency: "PT5M",
      windowDuration: "PT15M",
      criteria: [
        {
          query: terraformLiteral(DENIAL_SPIKE_KQL),
          timeAggregationMethod: "Total",
          metricMeasureColumn: "denials",
          operator: "GreaterThan",
          threshold: props.denialSpikeThreshold ?? 50,
          failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
        },
      ],
    });
  }
}
