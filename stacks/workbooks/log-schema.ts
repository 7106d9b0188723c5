/**
 * The Log Analytics tables the workbook and alerts read, as workspace-based Application Insights
 * writes them (OpenTelemetry/winston from the gateway and agent), and the custom dimensions
 * (`Properties`) of Gatehouse's log lines (runtime/core/audit/audit-log.ts). Every KQL query is
 * checked against this declaration in `npm test`.
 */

export type KqlType = "string" | "datetime" | "dynamic" | "int" | "long" | "real" | "bool";

export interface TableSchema {
  readonly name: string;
  readonly columns: Readonly<Record<string, KqlType>>;
}

/** Columns every App* table shares. */
const COMMON: Record<string, KqlType> = {
  TenantId: "string",
  TimeGenerated: "datetime",
  Properties: "dynamic",
  OperationName: "string",
  OperationId: "string",
  ParentId: "string",
  SyntheticSource: "string",
  SessionId: "string",
  UserId: "string",
  UserAuthenticatedId: "string",
  UserAccountId: "string",
  AppVersion: "string",
  AppRoleName: "string",
  AppRoleInstance: "string",
  ClientType: "string",
  ClientIP: "string",
  ResourceGUID: "string",
  IKey: "string",
  SDKVersion: "string",
  ItemCount: "int",
  SourceSystem: "string",
  Type: "string",
  _ResourceId: "string",
};

/**
 * Front Door (Microsoft.Cdn/profiles) writes its access, health-probe and WAF logs to
 * AzureDiagnostics only (no resource-specific table): https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-cdn-profiles-logs.
 * The columns the WAF panel reads: the log's properties with the `_s` suffix of AzureDiagnostics.
 */
const AZURE_DIAGNOSTICS: TableSchema = {
  name: "AzureDiagnostics",
  columns: {
    TenantId: "string",
    TimeGenerated: "datetime",
    ResourceId: "string",
    ResourceProvider: "string",
    Resource: "string",
    Category: "string",
    OperationName: "string",
    SourceSystem: "string",
    Type: "string",
    _ResourceId: "string",
    // FrontDoorWebApplicationFirewallLog
    action_s: "string",
    ruleName_s: "string",
    policy_s: "string",
    policyMode_s: "string",
    clientIP_s: "string",
    socketIP_s: "string",
    requestUri_s: "string",
    host_s: "string",
    trackingReference_s: "string",
    // FrontDoorAccessLog
    httpStatusCode_s: "string",
    httpMethod_s: "string",
    originName_s: "string",
  },
};

export const LOG_TABLES: readonly TableSchema[] = [
  AZURE_DIAGNOSTICS,
  { name: "AppTraces", columns: { ...COMMON, Message: "string", SeverityLevel: "int", Measurements: "dynamic" } },
  {
    name: "AppMetrics",
    columns: { ...COMMON, Name: "string", Sum: "real", Min: "real", Max: "real", Namespace: "string" },
  },
  {
    name: "AppRequests",
    columns: {
      ...COMMON,
      Id: "string",
      Source: "string",
      Name: "string",
      Url: "string",
      Success: "bool",
      ResultCode: "string",
      DurationMs: "real",
      PerformanceBucket: "string",
      Measurements: "dynamic",
    },
  },
  {
    name: "AppDependencies",
    columns: {
      ...COMMON,
      Id: "string",
      Target: "string",
      DependencyType: "string",
      Name: "string",
      Data: "string",
      Success: "bool",
      ResultCode: "string",
      DurationMs: "real",
      PerformanceBucket: "string",
      Measurements: "dynamic",
    },
  },
];

/** Log messages (AppTraces.Message) Gatehouse writes. */
export const LOG_MESSAGES = {
  audit: "gatehouse.audit",
  anchor: "gatehouse.anchor",
  checkpoint: "gatehouse.checkpoint",
  auditWriteFailed: "gatehouse.audit.write_failed",
} as const;

/** Metric names (AppMetrics.Name), as runtime/core/telemetry/metrics.ts records them. */
export const METRICS = {
  denials: "gatehouse.denials",
  auditWriteFailures: "gatehouse.audit.write_failures",
  auditRecords: "gatehouse.audit.records",
} as const;

/** Custom dimensions of the audit, anchor and checkpoint lines: the only `Properties.x` queries may read. */
export const LOG_PROPERTIES: readonly string[] = [
  // gatehouse.audit: one per audit record
  "recordId",
  "recordTime",
  "kind",
  "correlationId",
  "actor_oid",
  "actor_username",
  "actor_via",
  "server",
  "method",
  "name",
  "outcome",
  "code",
  "ruleId",
  "approvalId",
  "decisionAction",
  "approvers",
  "jitGrantId",
  "resultStatus",
  "policyVersion",
  "policyCommit",
  "chainId",
  "seq",
  "hash",
  "maskingCounts",
  // gatehouse.anchor and gatehouse.checkpoint
  "anchorReason",
  "anchorTime",
  "checkpointTime",
  "prevCheckpointHash",
  "kid",
  "alg",
  "signature",
  "blob",
  // gatehouse.audit.write_failed
  "records",
  "error",
];
