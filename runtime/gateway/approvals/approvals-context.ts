/** What the approvals, sessions and page handlers share; built once by createApprovalsRouter. */
import type { Request, RequestHandler } from "express";
import type { AccessRule } from "../../core/policy-model/schema";
import type { AuditSink } from "../../core/audit/audit-sink";
import { GatehouseError } from "../../core/errors";
import { IdentitySchema, type Identity } from "../../core/identity";
import type { Signer } from "../../core/signing/signer";
import type { ApprovalCoordinator } from "../../core/approvals/approval-coordinator";
import type { ApprovalStore } from "../../core/approvals/approval-store";
import type { GrantStore } from "../../core/approvals/grant-store";
import type { ApprovalNotifier } from "../../core/approvals/notifications/notifier";
import type { AuditContext } from "../../core/approvals/approval-audit";
import type { TransitionDeps } from "../../core/approvals/approval-decisions";
import type { EditDeps } from "../../core/approvals/approval-edit";
import type { ApprovalRecord } from "../../core/approvals/approval-record";
import { holdsApproverPrincipal } from "../../core/approvals/approval-rules";
import { fromIdentityProvider } from "../../core/policy/principals";
import type { OidcSettings } from "./oidc-client";

export interface ApprovalsRouterDeps {
  /** The approvals table. */
  readonly approvals: ApprovalStore;
  /** The grants table (JIT sessions). */
  readonly grants: GrantStore;
  /** The policy engine (PolicyEngine satisfies this): JIT rules of an identity on a server. */
  readonly policy: { jitRules(identity: Identity, server: string): AccessRule[] };
  /** The gateway Signer: JIT session tokens and the page's cookies. */
  readonly signer: Signer;
  readonly audit: AuditSink;
  /** The gateway's bearer auth middleware (sets `req.auth: Identity`, answers 401/403 itself). */
  readonly authenticate: RequestHandler;
  /** Base URL users reach the gateway at, e.g. https://gatehouse.example.com or http://127.0.0.1:8080. */
  readonly publicUrl: string;
  /** The approval page's sign-in (OIDC authorization code + PKCE). */
  readonly oidc: OidcSettings;
  /** The coordinator tool calls wait on; JIT rules with grant "approval" use the same one. */
  readonly coordinator: ApprovalCoordinator;
  readonly notifier?: ApprovalNotifier;
  readonly policyVersion?: () => string | null;
  /** How long POST /api/sessions holds a request that needs approval before answering 202. @default 20000 */
  readonly jitApprovalWaitMs?: number;
  /** Approver page session lifetime, capped by the id_token's exp. @default 900 (15 min) */
  readonly pageSessionSeconds?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** What edit-then-approve needs (issue 20): the arguments' key, the masker, the policy. @default - edits refused (ERR_EDIT_UNAVAILABLE) */
  readonly edits?: Omit<EditDeps, keyof TransitionDeps>;
}

export interface ApprovalsContext {
  readonly deps: ApprovalsRouterDeps;
  readonly audit: AuditContext;
  readonly transitions: TransitionDeps;
  readonly coordinator: ApprovalCoordinator;
  readonly publicUrl: string;
}

export function identityOf(req: Request): Identity {
  const auth = (req as Request & { auth?: unknown }).auth;
  const parsed = IdentitySchema.safeParse(auth);
  if (!parsed.success) throw new GatehouseError("ERR_AUTH_MISSING", "sign in first");
  return parsed.data;
}

/** The app role that reads every approval (history, details) and never decides one. */
export const AUDITOR_ROLE = "Auditor";

/** An Auditor of the identity provider (a JIT session token or an app never qualifies). */
export function isAuditor(who: Identity): boolean {
  return fromIdentityProvider(who) && who.kind !== "app" && who.roles.includes(AUDITOR_ROLE);
}

/** Approvers see what they could decide; requesters see their own requests; Auditors read all. */
export function canSee(r: ApprovalRecord, who: Identity): boolean {
  return r.requester.oid === who.oid || holdsApproverPrincipal(r, who) || isAuditor(who);
}
