/**
 * The example organisation of the local stack and the docs (ARCHITECTURE.md): servers `files`
 * and `customers`; app roles Engineer, Approver, Auditor. Engineers use both servers; deleting a
 * customer needs one Approver (never the requester) and one record per call; card numbers,
 * e-mails and SSNs are masked in both copies; Auditors reach no MCP server (they read evidence).
 */
import { AccessRule, ApprovalRule, Detector, Guardrail, MaskingRule, McpServer, PolicySet } from "../lib";
import { demoSettings, type DemoSettings } from "./demo-settings";

export const ROLES = { ENGINEER: "Engineer", APPROVER: "Approver", AUDITOR: "Auditor" } as const;

export function declareExampleOrg(set: PolicySet, settings: DemoSettings = demoSettings()): void {
  const files = new McpServer(set, "files", {
    description: "Filesystem server (stdio) on the demo folder",
    command: settings.filesCommand,
    args: [...settings.filesArgs, settings.filesDir],
  });
  const customers = new McpServer(set, "customers", {
    description: "Demo customer records: list_customers, get_customer, delete_customer",
    url: settings.customersUrl,
  });

  // Standing access: the local walkthrough connects with alice's Entra token directly.
  new AccessRule(set, "engineers-standing", {
    description: "Engineers read and search files and use the customer tools",
    principals: { roles: [ROLES.ENGINEER] },
    servers: [files, customers],
    mode: "standing",
    tools: { allow: ["*"], deny: ["write_file", "edit_file", "create_directory", "move_file"] },
    resources: { allow: ["*"] },
    prompts: { allow: ["*"] },
  });
  // Changing files is sensitive: a time-boxed session, granted on request and audited.
  new AccessRule(set, "engineers-files-write-jit", {
    description: "Engineers change demo files in a 30-minute just-in-time session",
    principals: { roles: [ROLES.ENGINEER] },
    servers: [files],
    mode: "jit",
    jitMaxMinutes: 30,
    jitGrant: "on-request",
    tools: { allow: ["*"] },
    resources: { allow: ["*"] },
  });

  new ApprovalRule(set, "delete-customer-approval", {
    description: "Deleting a customer record waits for one Approver who is not the requester",
    servers: [customers],
    tools: ["delete_customer"],
    approvers: { roles: [ROLES.APPROVER] },
    count: 1,
    expiresAfterSeconds: 15 * 60,
  });
  new Guardrail(set, "delete-one-customer-per-call", {
    description: "Bulk deletes are refused outright",
    servers: [customers],
    tools: ["delete_customer"],
    when: [{ path: "ids", op: "lengthGt", value: 1 }],
    message: "delete_customer deletes one record per call: send one id per request",
  });

  new MaskingRule(set, "personal-data", {
    description: "Card numbers, e-mails and SSNs never leave the gateway or reach the audit trail",
    detectors: [Detector.CREDIT_CARD, Detector.EMAIL, Detector.US_SSN],
    style: "redact",
    scope: "both",
  });
  new MaskingRule(set, "secrets", {
    description: "Credentials that show up in results (tokens, keys, connection strings)",
    detectors: [
      Detector.JWT,
      Detector.AWS_ACCESS_KEY,
      Detector.AWS_SECRET_KEY,
      Detector.AZURE_STORAGE_KEY,
      Detector.AZURE_CONNECTION_STRING,
      Detector.AZURE_SAS,
      Detector.PEM_PRIVATE_KEY,
      Detector.GITHUB_TOKEN,
      Detector.SLACK_TOKEN,
      Detector.SECRET_FIELD,
    ],
    style: "redact",
    scope: "both",
  });
}
