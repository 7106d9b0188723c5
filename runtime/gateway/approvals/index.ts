export * from "./approvals-router";
export { JIT_TOKEN_TYP, JIT_SESSION_TOOL, jitApprovalRule } from "./sessions-api";
export { SESSION_COOKIE, LOGIN_COOKIE } from "./approvals-page";
export type { OidcSettings } from "./oidc-client";
