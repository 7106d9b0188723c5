/**
 * The agent's configuration. The agent trusts exactly one key: the gateway's public JWK.
 */
import { z } from "zod";
import { GatehouseError } from "../errors";
import { httpUrl, int, parseEnv } from "./parse-env";

export const AgentEnvSchema = z
  .object({
    GATEHOUSE_PORT: int(0, 65535).default(8081),
    GATEHOUSE_HOST: z.string().default("127.0.0.1"),
    /** The gateway's public signing key (JWK JSON, or a JWKS `{"keys":[...]}` for current and previous); or a file holding it. */
    GATEHOUSE_GATEWAY_PUBLIC_JWK: z.string().optional(),
    GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE: z.string().optional(),
    /**
     * The gateway's Key Vault signing key, versionless (https://<vault>.vault.azure.net/keys/<name>):
     * the agent trusts every enabled version (a rotation never refuses a call). Needs keys/read on it.
     */
    GATEHOUSE_GATEWAY_SIGNING_KEY_ID: httpUrl.optional(),
    /** Client id of the app's user-assigned managed identity (Key Vault, storage, telemetry). */
    AZURE_CLIENT_ID: z.string().optional(),
    GATEHOUSE_POLICY_FILE: z.string().optional(),
    GATEHOUSE_POLICY_BLOB_URL: httpUrl.optional(),
    /** The bundle as a Key Vault secret, versionless (https://<vault>.vault.azure.net/secrets/<name>): Azure's delivery (written through ARM). */
    GATEHOUSE_POLICY_SECRET_URL: httpUrl.optional(),
    /** Seconds between checks of the policy bundle for a new version (ETag or file change); 0 = never. */
    GATEHOUSE_POLICY_POLL_SECONDS: int(0, 86400).default(30),
    GATEHOUSE_STORAGE_CONNECTION_STRING: z.string().optional(),
    /** Which agent this process is (servers whose `agent` differs are refused). */
    GATEHOUSE_AGENT_NAME: z.string().default("default"),
    /** `keyvault` (Azure; needs GATEHOUSE_KEYVAULT_URL) or `dev-env` (local stack only). */
    GATEHOUSE_CREDENTIAL_PROVIDER: z.enum(["keyvault", "dev-env"]).default("keyvault"),
    GATEHOUSE_KEYVAULT_URL: httpUrl.optional(),
    GATEHOUSE_CREDENTIAL_CACHE_SECONDS: int(0, 3600).default(300),
    /** Live stdio sessions (spawned processes) per identity on this agent; beyond, initialize gets ERR_SESSION_LIMIT. */
    GATEHOUSE_STDIO_SESSIONS_PER_IDENTITY: int(1, 1000).default(4),
    /** Live stdio sessions on this agent, all identities together. */
    GATEHOUSE_STDIO_SESSIONS_MAX: int(1, 10_000).default(32),
    /** Upper bound on a stdio session's idle time, whatever the server's timeouts.idleMs. */
    GATEHOUSE_STDIO_IDLE_SECONDS: int(10, 86_400).default(300),
    GATEHOUSE_LOG_LEVEL: z.enum(["error", "warn", "info", "debug"]).default("info"),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    const need = (cond: boolean, path: string, message: string) =>
      cond || ctx.addIssue({ code: "custom", path: [path], message });
    need(
      !!(e.GATEHOUSE_GATEWAY_PUBLIC_JWK || e.GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE || e.GATEHOUSE_GATEWAY_SIGNING_KEY_ID),
      "GATEHOUSE_GATEWAY_PUBLIC_JWK",
      "set GATEHOUSE_GATEWAY_PUBLIC_JWK (or GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE), or GATEHOUSE_GATEWAY_SIGNING_KEY_ID",
    );
    const policySources = [e.GATEHOUSE_POLICY_FILE, e.GATEHOUSE_POLICY_SECRET_URL, e.GATEHOUSE_POLICY_BLOB_URL].filter(
      Boolean,
    ).length;
    need(
      policySources > 0,
      "GATEHOUSE_POLICY_FILE",
      "set GATEHOUSE_POLICY_FILE, GATEHOUSE_POLICY_SECRET_URL or GATEHOUSE_POLICY_BLOB_URL",
    );
    need(
      policySources < 2,
      "GATEHOUSE_POLICY_BLOB_URL",
      "set only one of GATEHOUSE_POLICY_FILE, GATEHOUSE_POLICY_SECRET_URL and GATEHOUSE_POLICY_BLOB_URL",
    );
    need(
      e.GATEHOUSE_CREDENTIAL_PROVIDER !== "keyvault" || !!e.GATEHOUSE_KEYVAULT_URL,
      "GATEHOUSE_KEYVAULT_URL",
      "required with GATEHOUSE_CREDENTIAL_PROVIDER=keyvault",
    );
  });
export type AgentEnv = z.infer<typeof AgentEnvSchema>;

export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env): AgentEnv {
  return parseEnv(AgentEnvSchema, env);
}

/** The JWK text of GATEHOUSE_GATEWAY_PUBLIC_JWK (one key of a JWKS), parsed; errors name the variable. */
export function parseGatewayJwk(
  text: string | object,
  variable = "GATEHOUSE_GATEWAY_PUBLIC_JWK",
): Record<string, unknown> {
  try {
    const jwk = (typeof text === "string" ? JSON.parse(text) : text) as Record<string, unknown>;
    if (typeof jwk.kty !== "string" || "d" in jwk) throw new Error("not a public JWK");
    return jwk;
  } catch (e) {
    throw new GatehouseError(
      "ERR_CONFIG_INVALID",
      `invalid configuration:\n  ${variable}: must be the gateway's public JWK as JSON (${(e as Error).message})`,
      { problems: [variable] },
    );
  }
}

/** GATEHOUSE_GATEWAY_PUBLIC_JWK as a list: one JWK, or every key of a JWKS `{"keys":[...]}`. */
export function parseGatewayJwks(text: string, variable = "GATEHOUSE_GATEWAY_PUBLIC_JWK"): Record<string, unknown>[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [parseGatewayJwk(text, variable)];
  }
  const keys = (doc as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return [parseGatewayJwk(doc as object, variable)];
  if (keys.length === 0) return [parseGatewayJwk({}, variable)];
  return keys.map((k) => parseGatewayJwk(k as object, variable));
}
