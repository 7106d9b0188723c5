/**
 * Wires the approvals and JIT pieces (owned by the approvals module) into the gateway process:
 * the approvals and grants tables, the coordinator the MCP proxy hands approval decisions to, the
 * grants' revocation check for JIT tokens, and the router serving /api/approvals*, /api/sessions*
 * and the /approvals page.
 */
import fs from "node:fs";
import type { RequestHandler, Router } from "express";
import type { TokenCredential } from "@azure/identity";
import type { AuditSink } from "../core/audit/audit-sink";
import type { GatewayConfig } from "../core/config/gateway-config";
import type { PolicyView } from "../core/policy/live-policy";
import type { Signer } from "../core/signing/signer";
import { ApprovalCoordinator } from "../core/approvals/approval-coordinator";
import { ApprovalStore } from "../core/approvals/approval-store";
import { GrantStore } from "../core/approvals/grant-store";
import { ElicitationStore } from "../core/approvals/elicitation-store";
import { ToolCatalog } from "../core/approvals/tool-catalog";
import { notifiersFromEnv } from "../core/approvals/notifications/notifiers-from-env";
import { ApprovalReminders } from "../core/approvals/approval-reminders";
import type { TableLocation } from "../core/approvals/open-table";
import { createApprovalsRouter } from "./approvals/approvals-router";
import { ArgumentSealer } from "../core/approvals/argument-sealer";
import type { Masker } from "../core/masking/masker";
import { logger } from "../core/telemetry/logger";

export interface WiredApprovals {
  readonly coordinator: ApprovalCoordinator;
  /** The gateway's own questions to requesters (reason, confirmation), shared by every replica. */
  readonly elicitations: ElicitationStore;
  /** Tools seen in tools/list results (feed with `tools.remember(server, items)`); approvals snapshot their tool from it. */
  readonly tools: ToolCatalog;
  readonly isGrantRevoked: (grantId: string) => Promise<boolean>;
  readonly routers: Router[];
  /** The bearer middleware is built after the grants table (it needs isGrantRevoked). */
  setAuthenticate(handler: RequestHandler): void;
  /** Stops this replica's reminder/escalation scanner (waits for a scan in progress). */
  stop(): Promise<void>;
}

export async function wireApprovals(opts: {
  config: GatewayConfig;
  policy: PolicyView;
  signer: Signer;
  audit: AuditSink;
  /** The gateway's masker: an approver's edit is stored masked. @default - calls cannot be edited */
  masker?: Masker;
  credential: () => Promise<TokenCredential>;
}): Promise<WiredApprovals> {
  const { config, policy, signer, audit } = opts;
  const location: TableLocation = config.env.GATEHOUSE_STORAGE_CONNECTION_STRING
    ? { connectionString: config.env.GATEHOUSE_STORAGE_CONNECTION_STRING }
    : { endpoint: config.env.GATEHOUSE_STORAGE_TABLE_URL!, credential: await opts.credential() };
  const timeouts = { timeoutMs: config.env.GATEHOUSE_STORE_TIMEOUT_MS };
  const [approvals, grants] = await Promise.all([
    ApprovalStore.open(location, "approvals", timeouts),
    GrantStore.open(location, "grants", timeouts),
  ]);
  // The questions share the approvals table: the one the deployment creates and lets the gateway write.
  const elicitations = new ElicitationStore(approvals.table);
  const notifier = notifiersFromEnv(config.env);
  const policyVersion = () => policy.bundle.version;
  const tools = new ToolCatalog();
  const sealer = opts.masker ? argumentSealer(config) : undefined;
  const coordinator = new ApprovalCoordinator({
    tools,
    sealer,
    store: approvals,
    audit: { sink: audit, policyVersion },
    publicUrl: config.publicUrl,
    notifier,
    maxWaitMs: config.env.GATEHOUSE_APPROVAL_MAX_WAIT_SECONDS * 1000,
  });
  // Reminders, escalations and expiry of pending requests: every replica scans, an ETag claim sends each once.
  const reminders = new ApprovalReminders({
    store: approvals,
    audit: { sink: audit, policyVersion },
    notifier,
    publicUrl: config.publicUrl,
    intervalMs: config.env.GATEHOUSE_APPROVAL_SCAN_SECONDS * 1000,
  });
  reminders.start();
  let auth: RequestHandler | null = null;
  const authenticate: RequestHandler = (req, res, next) =>
    auth ? auth(req, res, next) : next(new Error("authentication is not wired yet"));
  const router = createApprovalsRouter({
    approvals,
    grants,
    policy,
    signer,
    audit,
    authenticate,
    publicUrl: config.publicUrl,
    // The page signs in with the first identity provider, under the rules its tokens get on the API.
    oidc: {
      issuer: config.identityMetadata,
      provider: config.identityProviders[0],
      // The approval page signs in with the gateway's app registration unless told otherwise.
      clientId: config.env.GATEHOUSE_APPROVALS_CLIENT_ID ?? config.audience[0].replace(/^api:\/\//, ""),
      clientSecret: config.env.GATEHOUSE_APPROVALS_CLIENT_SECRET,
    },
    coordinator,
    notifier,
    policyVersion,
    edits: sealer && opts.masker ? { sealer, masker: opts.masker, policy } : undefined,
  });
  return {
    coordinator,
    elicitations,
    tools,
    isGrantRevoked: grants.isGrantRevoked,
    routers: [router],
    setAuthenticate: (h) => void (auth = h),
    stop: () => reminders.stop(),
  };
}

/**
 * The key of edited arguments in approval records: from the session key every replica shares
 * (GATEHOUSE_SESSION_KEY, else the signing key file), per process otherwise (said loudly: an edit
 * taken on one replica cannot then run on another, and is refused there with ERR_EDIT_UNAVAILABLE).
 */
function argumentSealer(config: GatewayConfig): ArgumentSealer {
  if (config.env.GATEHOUSE_SESSION_KEY)
    return ArgumentSealer.fromSecret(Buffer.from(config.env.GATEHOUSE_SESSION_KEY, "base64"));
  if (config.env.GATEHOUSE_SIGNING_KEY_FILE)
    return ArgumentSealer.fromSecret(fs.readFileSync(config.env.GATEHOUSE_SIGNING_KEY_FILE));
  logger.warn("GATEHOUSE_SESSION_KEY is not set: approval edits work only on the replica that holds the call", {
    event: "approvals.edit_key_ephemeral",
  });
  return ArgumentSealer.ephemeral();
}
