/**
 * What createGatewayApp needs. Everything is injected so tests and the process entry wire real
 * components the same way; optional pieces (approvals, evidence) are mounted when present.
 */
import type { Router, RequestHandler } from "express";
import type { AuditSink } from "../core/audit/audit-sink";
import type { GatewayConfig } from "../core/config/gateway-config";
import type { SessionSealer } from "../core/mcp/session-envelope";
import type { PolicyView } from "../core/policy/live-policy";
import type { Signer } from "../core/signing/signer";
import type { ApprovalCoordinator } from "../core/approvals/approval-coordinator";
import type { ToolCatalog } from "../core/approvals/tool-catalog";
import type { ElicitationStore } from "../core/approvals/elicitation-store";
import type { Masker } from "../core/masking/masker";

/** The masking engine (runtime/core/masking): createMasker(...) satisfies it. */
export type GatewayMasker = Masker;

/** What the app reads of the configuration: all of it required (composeGateway passes the loaded GatewayConfig). */
export type GatewayAppConfig = Pick<
  GatewayConfig,
  | "publicUrl"
  | "allowedHosts"
  | "allowedOrigins"
  | "agentUrl"
  | "maxBodyBytes"
  | "rateLimitPerMinute"
  | "sseKeepAliveMs"
  | "audience"
  | "addressRateLimitPerMinute"
  | "refusalAuditWindowMs"
  | "trustedProxies"
  | "frontDoorId"
  | "bodyTimeoutMs"
  | "scopes"
>;

export interface GatewayDeps {
  readonly config: GatewayAppConfig;
  /** A PolicyEngine, or a LivePolicy (reloaded bundle; each request pins the engine in force). */
  readonly policy: PolicyView;
  readonly masker: GatewayMasker;
  readonly audit: AuditSink;
  /** Signs the per-request gateway→agent tokens. */
  readonly signer: Signer;
  /** createEntraBearerAuth(...): sets req.auth or answers 401. */
  readonly authenticate: RequestHandler & {
    ready?: () => Promise<{ issuer: string }>;
    forbiddenChallenge?: (server: string) => string;
  };
  /** Seals and opens the Mcp-Session-Id envelope. */
  readonly sessions: SessionSealer;
  /** Tool calls needing approval are refused (ERR_APPROVAL_REQUIRED) while this is absent. */
  readonly approvals?: Pick<ApprovalCoordinator, "requestAndWait"> | null;
  /** Where the gateway's own questions to requesters (MCP elicitation) wait for answers; absent: it asks none. */
  readonly elicitations?: ElicitationStore | null;
  /** Fed with every tools/list result relayed (masked), so approval requests carry the tool's description and annotations. */
  readonly tools?: ToolCatalog;
  /** Routers mounted at the root after the MCP routes (approvals router, evidence router). */
  readonly routers?: Router[];
  /** RFC 9728 authorization_servers; @default - the issuer of the auth middleware's discovery document */
  readonly authorizationServers?: () => Promise<string[]>;
  /** Extra readiness checks (name → check); /readyz is 200 only when all pass. */
  readonly readiness?: Record<string, () => Promise<boolean>>;
}
