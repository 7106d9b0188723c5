/**
 * The Key Vault secrets every region's gateway and agent read: names shared by the composing stack
 * and its secondary regions (gatehouse-region.ts).
 */
import type { PolicyBundle } from "../runtime/core/policy-model/schema";
import type { ManagedSecret } from "./identity-secrets";

/** Key Vault secret holding the Application Insights connection string (gateway and agent). */
export const APPINSIGHTS_SECRET = "appinsights-connection-string";
/** Key Vault secret holding the approval page's client secret (set by the operator: docs/deploy.md). */
export const APPROVALS_CLIENT_SECRET = "approvals-client-secret";
/** Key Vault secret holding the gateway's MCP session envelope key (shared by its replicas). */
export const SESSION_KEY_SECRET = "gateway-session-key";

/** Secrets of a bundle: upstream credentials (agent only) and the masking hash key (gateway only). */
export function bundleSecrets(bundle: PolicyBundle): ManagedSecret[] {
  const credentials = [...new Set(bundle.servers.flatMap((s) => s.credentials.map((c) => c.secretName)))];
  return [
    ...credentials.map((name) => ({ name, readers: "agent" as const, contentType: "text/plain; upstream-credential" })),
    {
      name: bundle.maskingSettings.hashKeySecretName,
      readers: "gateway" as const,
      contentType: "application/octet-stream; base64; hmac-key",
      value: "generated",
    },
  ];
}
