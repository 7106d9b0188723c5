/**
 * The gateway's configuration: GATEHOUSE_* environment variables, validated at start. Errors name
 * the variable. Secure defaults: loopback bind, Host and Origin checks on, auth always required.
 */
import fs from "node:fs";
import { z } from "zod";
import { csv, httpUrl, int, isLoopbackHost, isWildcardHost, parseEnv } from "./parse-env";
import { trustedProxies } from "./trusted-proxies";
import { NotifierEnvShape, refineNotifierEnv } from "./notifier-env";
import { isMultiTenant } from "../entra-tenancy";
import {
  discoveryUrl,
  entraProvider,
  IdentityProvidersJson,
  scopesOf,
  type IdentityProvider,
} from "./identity-providers";

export const GatewayEnvSchema = z
  .object({
    GATEHOUSE_PORT: int(0, 65535).default(8080),
    GATEHOUSE_HOST: z.string().default("127.0.0.1"),
    /** The URL clients use (behind ingress: https://gateway.example.com). Default: http://<host>:<port>. */
    GATEHOUSE_PUBLIC_URL: httpUrl.optional(),
    /** Host header values accepted (DNS-rebinding protection). Default: the public URL's host, and loopback forms of the port. */
    GATEHOUSE_ALLOWED_HOSTS: csv.optional(),
    /** Origin header values accepted when a browser sends one. Default: the public URL's origin. */
    GATEHOUSE_ALLOWED_ORIGINS: csv.optional(),
    /** OpenID discovery document of the Entra token issuer (https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration). Required unless GATEHOUSE_OIDC_ISSUERS is set. */
    GATEHOUSE_IDENTITY_METADATA: httpUrl.optional(),
    /** Expected `aud` (the gateway's app registration: api://... or its client id); comma-separated for several. Required with GATEHOUSE_IDENTITY_METADATA. */
    GATEHOUSE_AUDIENCE: csv.optional(),
    /** More identity providers (any OIDC issuer), a JSON array: see docs/identity.md. Verified beside the Entra provider of GATEHOUSE_IDENTITY_METADATA when both are set. */
    GATEHOUSE_OIDC_ISSUERS: IdentityProvidersJson.optional(),
    /** Allowed tenant ids (`tid`); empty = only the tenant of the discovery document's issuer. */
    GATEHOUSE_TENANT_IDS: csv.optional(),
    /** Explicit accepted issuers, replacing the ones derived from the discovery document. */
    GATEHOUSE_ISSUERS: csv.optional(),
    GATEHOUSE_AGENT_URL: httpUrl,
    GATEHOUSE_POLICY_FILE: z.string().optional(),
    GATEHOUSE_POLICY_BLOB_URL: httpUrl.optional(),
    /** The bundle as a Key Vault secret, versionless (https://<vault>.vault.azure.net/secrets/<name>): Azure's delivery (written through ARM). */
    GATEHOUSE_POLICY_SECRET_URL: httpUrl.optional(),
    /** Seconds between checks of the policy bundle for a new version (ETag or file change); 0 = never. */
    GATEHOUSE_POLICY_POLL_SECONDS: int(0, 86400).default(30),
    GATEHOUSE_STORAGE_CONNECTION_STRING: z.string().optional(),
    GATEHOUSE_STORAGE_BLOB_URL: httpUrl.optional(),
    GATEHOUSE_STORAGE_TABLE_URL: httpUrl.optional(),
    GATEHOUSE_AUDIT_CONTAINER: z.string().default("audit"),
    GATEHOUSE_SIGNING_KEY_FILE: z.string().optional(),
    GATEHOUSE_KEYVAULT_URL: httpUrl.optional(),
    GATEHOUSE_SIGNING_KEY_NAME: z.string().optional(),
    /** 32 bytes, base64: the key of the session envelope. Needed when several replicas serve one client. */
    GATEHOUSE_SESSION_KEY: z.string().optional(),
    /** The HMAC key of the `hash` masking style: base64, 32 bytes or more (Azure: the Key Vault secret `masking-hash-key`). Never logged. */
    GATEHOUSE_MASKING_HASH_KEY: z.string().optional(),
    /** A file holding GATEHOUSE_MASKING_HASH_KEY (the local stack keeps one in .gatehouse/). */
    GATEHOUSE_MASKING_HASH_KEY_FILE: z.string().optional(),
    GATEHOUSE_MAX_BODY_BYTES: int(1024, 64 * 1024 * 1024).default(4 * 1024 * 1024),
    GATEHOUSE_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(600),
    /** Deadline of one approvals/grants table call, retries included; past it the request is answered 503 with Retry-After. */
    GATEHOUSE_STORE_TIMEOUT_MS: int(100, 60_000).default(5000),
    /** Refused requests (status >= 400) per client address per minute, counted before authentication; beyond, 429 for that address. */
    GATEHOUSE_ADDRESS_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(120),
    /** Window in which the unauthenticated refusals of one address are summed into one audit record. */
    GATEHOUSE_REFUSAL_AUDIT_WINDOW_SECONDS: int(1, 3600).default(60),
    /** Peers whose X-Forwarded-For is believed (IPs or CIDRs; Container Apps: the environment's infrastructure subnet). Default: none. */
    GATEHOUSE_TRUSTED_PROXIES: trustedProxies.optional(),
    /** Behind Azure Front Door: the profile's id; requests without this X-Azure-FDID are refused (403 ERR_EDGE_REFUSED). Default: no check. */
    GATEHOUSE_FRONT_DOOR_ID: z
      .string()
      .regex(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
        "a GUID (the Front Door profile's resource_guid)",
      )
      .optional(),
    /** Time to receive a request's headers (slowloris). */
    GATEHOUSE_HEADERS_TIMEOUT_SECONDS: int(1, 300).default(10),
    /** Time to receive a request's whole body; beyond, 408 ERR_REQUEST_TIMEOUT and the connection is closed. */
    GATEHOUSE_BODY_TIMEOUT_SECONDS: int(1, 600).default(30),
    /** The audit hash chain of this replica. Default: gateway-<hostname>. */
    GATEHOUSE_CHAIN_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/)
      .optional(),
    /** Seconds between SSE keep-alive comments. */
    GATEHOUSE_SSE_KEEPALIVE_SECONDS: int(1, 300).default(15),
    /** OIDC client of the /approvals page sign-in. Default: the audience without `api://`. */
    GATEHOUSE_APPROVALS_CLIENT_ID: z.string().optional(),
    GATEHOUSE_APPROVALS_CLIENT_SECRET: z.string().optional(),
    /** How long a tool call needing approval is held before the client is told to retry. */
    GATEHOUSE_APPROVAL_MAX_WAIT_SECONDS: int(1, 3600).default(120),
    /** Where approval requests are announced (Teams, a signed webhook). */
    ...NotifierEnvShape,
    GATEHOUSE_LOG_LEVEL: z.enum(["error", "warn", "info", "debug"]).default("info"),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
    /** Client id of the app's user-assigned managed identity (Key Vault, storage, telemetry). */
    AZURE_CLIENT_ID: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    const need = (cond: boolean, path: string, message: string) =>
      cond || ctx.addIssue({ code: "custom", path: [path], message });
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
      !!(e.GATEHOUSE_STORAGE_CONNECTION_STRING || e.GATEHOUSE_STORAGE_BLOB_URL),
      "GATEHOUSE_STORAGE_CONNECTION_STRING",
      "set GATEHOUSE_STORAGE_CONNECTION_STRING, or GATEHOUSE_STORAGE_BLOB_URL and GATEHOUSE_STORAGE_TABLE_URL (managed identity)",
    );
    need(
      !e.GATEHOUSE_STORAGE_BLOB_URL || !!e.GATEHOUSE_STORAGE_TABLE_URL,
      "GATEHOUSE_STORAGE_TABLE_URL",
      "required with GATEHOUSE_STORAGE_BLOB_URL",
    );
    need(
      !!(e.GATEHOUSE_SIGNING_KEY_FILE || e.GATEHOUSE_KEYVAULT_URL),
      "GATEHOUSE_SIGNING_KEY_FILE",
      "set GATEHOUSE_SIGNING_KEY_FILE, or GATEHOUSE_KEYVAULT_URL and GATEHOUSE_SIGNING_KEY_NAME",
    );
    need(
      !e.GATEHOUSE_KEYVAULT_URL || !!e.GATEHOUSE_SIGNING_KEY_NAME,
      "GATEHOUSE_SIGNING_KEY_NAME",
      "required with GATEHOUSE_KEYVAULT_URL",
    );
    if (e.GATEHOUSE_SESSION_KEY)
      need(
        Buffer.from(e.GATEHOUSE_SESSION_KEY, "base64").length === 32,
        "GATEHOUSE_SESSION_KEY",
        "must be 32 bytes, base64",
      );
    need(
      !(e.GATEHOUSE_MASKING_HASH_KEY && e.GATEHOUSE_MASKING_HASH_KEY_FILE),
      "GATEHOUSE_MASKING_HASH_KEY_FILE",
      "set only one of GATEHOUSE_MASKING_HASH_KEY and GATEHOUSE_MASKING_HASH_KEY_FILE",
    );
    if (e.GATEHOUSE_MASKING_HASH_KEY)
      need(decodeHashKey(e.GATEHOUSE_MASKING_HASH_KEY) !== null, "GATEHOUSE_MASKING_HASH_KEY", HASH_KEY_RULE);
    else if (e.GATEHOUSE_MASKING_HASH_KEY_FILE) {
      const text = readOrNull(e.GATEHOUSE_MASKING_HASH_KEY_FILE);
      if (text === null) need(false, "GATEHOUSE_MASKING_HASH_KEY_FILE", "cannot be read");
      else
        need(decodeHashKey(text) !== null, "GATEHOUSE_MASKING_HASH_KEY_FILE", `must hold a key that ${HASH_KEY_RULE}`);
    }
    // Behind ingress the default public URL (http://0.0.0.0:8080) is one no client uses (issue 13, item 18).
    need(
      !isWildcardHost(e.GATEHOUSE_HOST) || !!e.GATEHOUSE_PUBLIC_URL,
      "GATEHOUSE_PUBLIC_URL",
      `required when GATEHOUSE_HOST is ${e.GATEHOUSE_HOST} (a wildcard address): set the URL clients use, e.g. https://gateway.example.com`,
    );
    need(
      !!(e.GATEHOUSE_IDENTITY_METADATA || e.GATEHOUSE_OIDC_ISSUERS),
      "GATEHOUSE_IDENTITY_METADATA",
      "set GATEHOUSE_IDENTITY_METADATA (Entra ID) or GATEHOUSE_OIDC_ISSUERS (any OIDC provider)",
    );
    if (e.GATEHOUSE_IDENTITY_METADATA) {
      const meta = new URL(e.GATEHOUSE_IDENTITY_METADATA);
      need(
        meta.protocol === "https:" || isLoopbackHost(meta.hostname),
        "GATEHOUSE_IDENTITY_METADATA",
        "must be https (plain http only on a loopback host)",
      );
      need(!!e.GATEHOUSE_AUDIENCE?.length, "GATEHOUSE_AUDIENCE", "required with GATEHOUSE_IDENTITY_METADATA");
      // common/organizations/{tenantid} admit every Entra tenant unless a tenant list narrows them.
      need(
        !isMultiTenant(decodeURI(e.GATEHOUSE_IDENTITY_METADATA)) || !!e.GATEHOUSE_TENANT_IDS?.length,
        "GATEHOUSE_TENANT_IDS",
        "required when GATEHOUSE_IDENTITY_METADATA is multi-tenant (common, organizations, {tenantid}): list the tenant ids allowed to sign in",
      );
      need(
        !e.GATEHOUSE_OIDC_ISSUERS?.some((p) => p.name === "entra"),
        "GATEHOUSE_OIDC_ISSUERS",
        "the name entra is taken by the provider of GATEHOUSE_IDENTITY_METADATA",
      );
    }
    refineNotifierEnv(e, ctx);
  });
export type GatewayEnv = z.infer<typeof GatewayEnvSchema>;

const HASH_KEY_RULE = "must be base64 of 32 or more random bytes (openssl rand -base64 32)";

/** The key bytes, or null when the text is not base64 of 32 bytes or more. */
function decodeHashKey(text: string): Buffer | null {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t) || t.length % 4 !== 0) return null;
  const key = Buffer.from(t, "base64");
  return key.length >= 32 ? key : null;
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** Without a trailing slash. */
  readonly publicUrl: string;
  readonly allowedHosts: string[];
  readonly allowedOrigins: string[];
  /** Every accepted token issuer, in order; the first one also signs users in to the approval page. */
  readonly identityProviders: IdentityProvider[];
  /** The first provider's discovery document URL. */
  readonly identityMetadata: string;
  /** GATEHOUSE_AUDIENCE, or the first provider's audiences. */
  readonly audience: string[];
  /** Scopes named in the resource metadata and the 403 challenge (every provider's). */
  readonly scopes: string[];
  readonly tenantIds: string[];
  readonly issuers: string[] | null;
  readonly agentUrl: string;
  readonly maxBodyBytes: number;
  readonly rateLimitPerMinute: number;
  readonly sseKeepAliveMs: number;
  readonly addressRateLimitPerMinute: number;
  readonly refusalAuditWindowMs: number;
  /** Peers whose X-Forwarded-For is believed; empty = none. */
  readonly trustedProxies: string[];
  /** The Front Door profile's id every request must carry (X-Azure-FDID); undefined = no check. */
  readonly frontDoorId: string | undefined;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  /** HMAC key of the `hash` masking style, or undefined when none is configured. */
  readonly maskingHashKey: Buffer | undefined;
  readonly env: GatewayEnv;
}

function maskingHashKey(e: GatewayEnv): Buffer | undefined {
  const text =
    e.GATEHOUSE_MASKING_HASH_KEY ??
    (e.GATEHOUSE_MASKING_HASH_KEY_FILE ? readOrNull(e.GATEHOUSE_MASKING_HASH_KEY_FILE) : null);
  return text ? (decodeHashKey(text) ?? undefined) : undefined;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = parseEnv(GatewayEnvSchema, env);
  const providers = [
    ...(e.GATEHOUSE_IDENTITY_METADATA
      ? [
          entraProvider({
            metadata: e.GATEHOUSE_IDENTITY_METADATA,
            audiences: e.GATEHOUSE_AUDIENCE ?? [],
            tenantIds: e.GATEHOUSE_TENANT_IDS ?? [],
            issuers: e.GATEHOUSE_ISSUERS ?? null,
          }),
        ]
      : []),
    ...(e.GATEHOUSE_OIDC_ISSUERS ?? []),
  ];
  const publicUrl = (
    e.GATEHOUSE_PUBLIC_URL ??
    `http://${e.GATEHOUSE_HOST.includes(":") ? `[${e.GATEHOUSE_HOST}]` : e.GATEHOUSE_HOST}:${e.GATEHOUSE_PORT}`
  ).replace(/\/+$/, "");
  return {
    port: e.GATEHOUSE_PORT,
    host: e.GATEHOUSE_HOST,
    publicUrl,
    allowedHosts: e.GATEHOUSE_ALLOWED_HOSTS ?? [new URL(publicUrl).host],
    allowedOrigins: e.GATEHOUSE_ALLOWED_ORIGINS ?? [new URL(publicUrl).origin],
    identityProviders: providers,
    identityMetadata: discoveryUrl(providers[0].metadata),
    audience: e.GATEHOUSE_AUDIENCE ?? providers[0].audiences,
    scopes: scopesOf(providers),
    tenantIds: providers[0].tenantIds,
    issuers: providers[0].issuers ?? null,
    agentUrl: e.GATEHOUSE_AGENT_URL.replace(/\/+$/, ""),
    maxBodyBytes: e.GATEHOUSE_MAX_BODY_BYTES,
    rateLimitPerMinute: e.GATEHOUSE_RATE_LIMIT_PER_MINUTE,
    sseKeepAliveMs: e.GATEHOUSE_SSE_KEEPALIVE_SECONDS * 1000,
    addressRateLimitPerMinute: e.GATEHOUSE_ADDRESS_RATE_LIMIT_PER_MINUTE,
    refusalAuditWindowMs: e.GATEHOUSE_REFUSAL_AUDIT_WINDOW_SECONDS * 1000,
    trustedProxies: e.GATEHOUSE_TRUSTED_PROXIES ?? [],
    frontDoorId: e.GATEHOUSE_FRONT_DOOR_ID,
    headersTimeoutMs: e.GATEHOUSE_HEADERS_TIMEOUT_SECONDS * 1000,
    bodyTimeoutMs: e.GATEHOUSE_BODY_TIMEOUT_SECONDS * 1000,
    maskingHashKey: maskingHashKey(e),
    env: e,
  };
}
