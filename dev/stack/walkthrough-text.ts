/** What `npm run dev` prints once the stack is up: where things are and the walkthrough to paste. */
import type { LocalStack } from "../../runtime/core/local-stack-file";

export function readyBanner(s: LocalStack, defaultHome: boolean): string {
  const client = "node dist/dev/walkthrough-client.js";
  const cli = "npx gatehouse";
  // With a non-default state folder the CLI must be told where the stack is (the audit store is
  // named explicitly too: it is the documented way to point any command at any store).
  const exports = defaultHome
    ? []
    : [`  export GATEHOUSE_HOME=${s.home} GATEHOUSE_STORAGE_CONNECTION_STRING='${s.storageConnectionString}'`];
  // Evidence periods are ISO-8601 instants: today, midnight to midnight (UTC).
  const today = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
  const tomorrow = `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`;
  return [
    "",
    "Gatehouse local stack",
    `  gateway          ${s.gatewayUrl}   (MCP: ${Object.values(s.mcpUrls).join(", ")})`,
    `  approvals page   ${s.approvalsUrl}   (sign in as bob)`,
    `  local issuer     ${s.issuerUrl}   (demo users: alice Engineer, bob Approver, carol Auditor)`,
    `  agent            ${s.agentUrl}`,
    `  audit + tables   Azurite ${s.blobEndpoint}`,
    `  policy bundle    ${s.policyBundleFile} (version ${s.policyVersion.slice(0, 12)})`,
    `  state folder     ${s.home}`,
    "",
    "Walkthrough (in another terminal, from the repository root):",
    ...exports,
    `  ${cli} token alice                                    # alice's bearer token from the local issuer`,
    `  ${client} tools                          # tools alice may use, filtered by policy`,
    `  ${client} call customers list_customers  # card numbers, e-mails and SSNs come back masked`,
    `  ${client} call customers delete_customer '{"ids":["c-1003"]}'   # held for approval...`,
    `      ...then open ${s.approvalsUrl}, sign in as bob and approve: the call above completes`,
    `  ${client} call customers delete_customer '{"ids":["c-1004","c-1005"]}'   # blocked by a guardrail`,
    `  ${cli} audit verify                                   # every hash chain verifies`,
    `  ${cli} evidence tool-calls --from ${today} --to ${tomorrow} --out evidence/   # auditor's package`,
    "",
    "Ctrl-C stops everything this command started.",
  ].join("\n");
}
