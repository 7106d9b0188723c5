/**
 * Deployment configuration: every value the stacks need, read from GATEHOUSE_* environment
 * variables and validated with zod. All problems are reported together, each naming the variable,
 * what was received and what was expected.
 */
import { z } from "zod";
import { GatehouseError } from "../runtime/core/errors";
import { REGISTRY_ID_PATTERN, existingRegistry } from "./image-registry";
import {
  approvalChannelProblems,
  approvalChannelsFrom,
  ApprovalChannelsEnvShape,
  type ApprovalChannels,
} from "./approval-channels";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a GUID");
const bool = z.enum(["true", "false"], "true or false").transform((v) => v === "true");
const int = (min: number, max: number) => z.coerce.number(`an integer from ${min} to ${max}`).int().min(min).max(max);
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "an IPv4 CIDR such as 10.40.0.0/16");
const image = z
  .string()
  .regex(/^[a-z0-9][a-z0-9./:_@-]*$/i, "an image reference such as myregistry.azurecr.io/gatehouse:1.2.3");

/**
 * Values with no safe default. `npm run synth` without them uses clearly fake placeholders (so a
 * fresh clone synthesizes); `npm run deploy` refuses to run without them.
 */
export const DEPLOY_REQUIRED = [
  "GATEHOUSE_SUBSCRIPTION_ID",
  "GATEHOUSE_TENANT_ID",
  "GATEHOUSE_AUDIENCE",
  "GATEHOUSE_GATEWAY_IMAGE",
  "GATEHOUSE_AGENT_IMAGE",
] as const;

export const PLACEHOLDERS: Record<(typeof DEPLOY_REQUIRED)[number], string> = {
  GATEHOUSE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-000000000000",
  GATEHOUSE_TENANT_ID: "00000000-0000-0000-0000-000000000000",
  GATEHOUSE_AUDIENCE: "api://gatehouse",
  GATEHOUSE_GATEWAY_IMAGE: "example.invalid/gatehouse:placeholder",
  GATEHOUSE_AGENT_IMAGE: "example.invalid/gatehouse:placeholder",
};

/** What a required value looks like, for the "missing" message. */
const EXPECTED: Record<(typeof DEPLOY_REQUIRED)[number], string> = {
  GATEHOUSE_SUBSCRIPTION_ID: "the subscription id (a GUID)",
  GATEHOUSE_TENANT_ID: "the Entra tenant id (a GUID)",
  GATEHOUSE_AUDIENCE: "the gateway app registration's audience, e.g. api://gatehouse",
  GATEHOUSE_GATEWAY_IMAGE: "the gateway image, e.g. myregistry.azurecr.io/gatehouse-gateway:1.2.3",
  GATEHOUSE_AGENT_IMAGE: "the agent image, e.g. myregistry.azurecr.io/gatehouse-agent:1.2.3",
};

/** As long as a compliance suppression's reason (stacks/compliance/suppressions.ts): it becomes one. */
const EDGE_NONE_REASON_MIN = 30;

export const ConfigEnvSchema = z.object({
  GATEHOUSE_SUBSCRIPTION_ID: uuid,
  GATEHOUSE_TENANT_ID: uuid,
  /** The gateway app registration's Application ID URI or client id (the `aud` of tokens). */
  GATEHOUSE_AUDIENCE: z.string().min(3, "the gateway app registration's audience, e.g. api://gatehouse"),
  GATEHOUSE_GATEWAY_IMAGE: image,
  GATEHOUSE_AGENT_IMAGE: image,
  GATEHOUSE_ENVIRONMENT: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,7}$/, "2-8 lower-case letters or digits, starting with a letter")
    .default("prod"),
  GATEHOUSE_LOCATION: z
    .string()
    .regex(/^[a-z0-9]+$/, "an Azure region name such as westeurope")
    .default("westeurope"),
  /** Every region the gateway runs in, the first the decision region (docs/decisions/0007); @default GATEHOUSE_LOCATION alone. */
  GATEHOUSE_REGIONS: z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean),
    )
    // At most 10: the auditor workbook queries every region's workspace at once, and a
    // cross-workspace query takes at most 10 (stacks/workbooks/auditor-workbook.ts).
    .pipe(
      z
        .array(z.string().regex(/^[a-z0-9]+$/))
        .min(1)
        .max(10, "at most 10 regions"),
    )
    .optional(),
  GATEHOUSE_VNET_CIDR: cidr.default("10.40.0.0/16"),
  GATEHOUSE_APPS_SUBNET_CIDR: cidr.default("10.40.0.0/23"),
  GATEHOUSE_ENDPOINTS_SUBNET_CIDR: cidr.default("10.40.2.0/24"),
  GATEHOUSE_GATEWAY_MIN_REPLICAS: int(1, 30).default(2),
  GATEHOUSE_GATEWAY_MAX_REPLICAS: int(1, 300).default(10),
  GATEHOUSE_AGENT_MIN_REPLICAS: int(1, 30).default(2),
  GATEHOUSE_AGENT_MAX_REPLICAS: int(1, 300).default(10),
  GATEHOUSE_LOG_RETENTION_DAYS: int(365, 730).default(365),
  GATEHOUSE_AUDIT_IMMUTABILITY_DAYS: int(1, 146000).default(400),
  GATEHOUSE_AUDIT_IMMUTABILITY_LOCKED: bool.default(false),
  GATEHOUSE_CREDENTIAL_EXPIRY_DAYS: int(30, 730).default(365),
  GATEHOUSE_CREATE_ACR: bool.default(false),
  /** ARM id of an existing Azure Container Registry the apps pull from with AcrPull. */
  GATEHOUSE_REGISTRY_ID: z
    .string()
    .regex(
      REGISTRY_ID_PATTERN,
      "a container registry resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ContainerRegistry/registries/<name>)",
    )
    .optional(),
  /** Create the gateway's app registration with the azuread provider (needs directory rights). */
  GATEHOUSE_CREATE_APP_REGISTRATION: bool.default(false),
  /** The client id of the app registration approvers sign in with (the /approvals page). */
  GATEHOUSE_APPROVALS_CLIENT_ID: uuid.optional(),
  GATEHOUSE_ALERT_EMAILS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.email("comma-separated e-mail addresses"))),
  GATEHOUSE_DENIAL_SPIKE_THRESHOLD: int(1, 100000).default(50),
  GATEHOUSE_PUBLIC_URL: z.url("an https URL").startsWith("https://", "an https URL").optional(),
  /** The edge in front of the gateway: Front Door Premium + WAF over Private Link (the default), or none (dev only, with a reason). */
  GATEHOUSE_EDGE: z.enum(["frontdoor", "none"], "frontdoor or none").default("frontdoor"),
  /** Why a deployment runs without the edge; required with GATEHOUSE_EDGE=none, written into the synthesized output. */
  GATEHOUSE_EDGE_NONE_REASON: z
    .string()
    .min(EDGE_NONE_REASON_MIN, `a reason of at least ${EDGE_NONE_REASON_MIN} characters`)
    .optional(),
  /** Requests per client address and minute the WAF lets through. */
  GATEHOUSE_EDGE_RATE_LIMIT_PER_MINUTE: int(10, 100000).default(600),
  GATEHOUSE_STATE_BACKEND: z.enum(["local", "azurerm"], "local or azurerm").default("local"),
  GATEHOUSE_STATE_RESOURCE_GROUP: z.string().min(1).optional(),
  GATEHOUSE_STATE_STORAGE_ACCOUNT: z
    .string()
    .regex(/^[a-z0-9]{3,24}$/, "a storage account name")
    .optional(),
  GATEHOUSE_STATE_CONTAINER: z.string().min(3).default("tfstate"),
  GATEHOUSE_STATE_KEY: z.string().min(1).optional(),
  /** Approval notification channels (slack, email, pagerduty) and their plain settings (approval-channels.ts). */
  ...ApprovalChannelsEnvShape,
});

type Problem = { variable: string; message: string };

/**
 * Checks across variables, run on the raw values even when single values are invalid, so every
 * problem is reported in one pass.
 */
function crossFieldProblems(raw: Record<string, string | undefined>): Problem[] {
  const problems: Problem[] = [];
  if (raw.GATEHOUSE_STATE_BACKEND === "azurerm") {
    for (const variable of ["GATEHOUSE_STATE_RESOURCE_GROUP", "GATEHOUSE_STATE_STORAGE_ACCOUNT"]) {
      if (raw[variable] === undefined)
        problems.push({
          variable,
          message: "received nothing (missing), required when GATEHOUSE_STATE_BACKEND=azurerm",
        });
    }
  }
  for (const app of ["GATEWAY", "AGENT"]) {
    const min = Number(raw[`GATEHOUSE_${app}_MIN_REPLICAS`] ?? 2);
    const max = Number(raw[`GATEHOUSE_${app}_MAX_REPLICAS`] ?? 10);
    if (Number.isInteger(min) && Number.isInteger(max) && max < min) {
      problems.push({
        variable: `GATEHOUSE_${app}_MAX_REPLICAS`,
        message: `received ${max}, expected at least GATEHOUSE_${app}_MIN_REPLICAS (${min})`,
      });
    }
  }
  if (raw.GATEHOUSE_CREATE_APP_REGISTRATION === "true") {
    if (raw.GATEHOUSE_APPROVALS_CLIENT_ID !== undefined) {
      problems.push({
        variable: "GATEHOUSE_APPROVALS_CLIENT_ID",
        message:
          "received a client id, expected none with GATEHOUSE_CREATE_APP_REGISTRATION=true (the created registration is the client)",
      });
    }
    if (raw.GATEHOUSE_AUDIENCE !== undefined && !raw.GATEHOUSE_AUDIENCE.startsWith("api://")) {
      problems.push({
        variable: "GATEHOUSE_AUDIENCE",
        message: `received ${JSON.stringify(raw.GATEHOUSE_AUDIENCE)}, expected an Application ID URI (api://...) with GATEHOUSE_CREATE_APP_REGISTRATION=true`,
      });
    }
  }
  if (raw.GATEHOUSE_EDGE === "none" && raw.GATEHOUSE_EDGE_NONE_REASON === undefined) {
    problems.push({
      variable: "GATEHOUSE_EDGE_NONE_REASON",
      message:
        "received nothing (missing), required with GATEHOUSE_EDGE=none: say why this deployment may expose the environment publicly without a WAF (dev only)",
    });
  }
  if (raw.GATEHOUSE_EDGE !== "none" && raw.GATEHOUSE_EDGE_NONE_REASON !== undefined) {
    problems.push({
      variable: "GATEHOUSE_EDGE_NONE_REASON",
      message: "received a reason, expected none unless GATEHOUSE_EDGE=none",
    });
  }
  if (raw.GATEHOUSE_REGIONS !== undefined) {
    const regions = raw.GATEHOUSE_REGIONS.split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    const bad = regions.filter((r) => !/^[a-z0-9]+$/.test(r));
    if (regions.length === 0 || bad.length > 0) {
      problems.push({
        variable: "GATEHOUSE_REGIONS",
        message: `received ${JSON.stringify(raw.GATEHOUSE_REGIONS)}, expected comma-separated Azure region names such as westeurope,northeurope`,
      });
    } else if (new Set(regions).size !== regions.length) {
      problems.push({
        variable: "GATEHOUSE_REGIONS",
        message: `received ${JSON.stringify(raw.GATEHOUSE_REGIONS)}, expected each region once`,
      });
    } else if (raw.GATEHOUSE_LOCATION !== undefined && raw.GATEHOUSE_LOCATION !== regions[0]) {
      problems.push({
        variable: "GATEHOUSE_LOCATION",
        message: `received ${JSON.stringify(raw.GATEHOUSE_LOCATION)}, expected none or the first of GATEHOUSE_REGIONS (${regions[0]}, the decision region)`,
      });
    }
    if (regions.length > 1 && raw.GATEHOUSE_EDGE === "none") {
      problems.push({
        variable: "GATEHOUSE_REGIONS",
        message:
          "received several regions, expected one with GATEHOUSE_EDGE=none (only Front Door routes clients between regions)",
      });
    }
  }
  if (raw.GATEHOUSE_REGISTRY_ID !== undefined && raw.GATEHOUSE_CREATE_ACR === "true") {
    problems.push({
      variable: "GATEHOUSE_REGISTRY_ID",
      message: "received a registry id, expected only one of GATEHOUSE_REGISTRY_ID and GATEHOUSE_CREATE_ACR=true",
    });
  }
  if (raw.GATEHOUSE_REGISTRY_ID !== undefined && REGISTRY_ID_PATTERN.test(raw.GATEHOUSE_REGISTRY_ID)) {
    // The apps authenticate to that registry only: an image elsewhere would be pulled anonymously.
    const server = existingRegistry(raw.GATEHOUSE_REGISTRY_ID).loginServer;
    for (const variable of ["GATEHOUSE_GATEWAY_IMAGE", "GATEHOUSE_AGENT_IMAGE"]) {
      const image = raw[variable];
      if (image !== undefined && !image.toLowerCase().startsWith(`${server}/`)) {
        problems.push({
          variable,
          message: `received ${JSON.stringify(image)}, expected an image in ${server} (GATEHOUSE_REGISTRY_ID)`,
        });
      }
    }
  }
  problems.push(...approvalChannelProblems(raw));
  return problems;
}

export interface GatehouseConfig {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly audience: string;
  readonly gatewayImage: string;
  readonly agentImage: string;
  /** Short environment name used in every resource name. @default "prod" */
  readonly environment: string;
  /** The primary region: the only one of a single-region deployment, the decision region of several. @default "westeurope" */
  readonly location: string;
  /**
   * The other regions, each with its own network, environment, gateway, agent, Key Vault and audit
   * chains, behind the same Front Door; their approvals and grants are the primary's tables
   * (docs/decisions/0007). @default [] - one region
   */
  readonly secondaryRegions: readonly string[];
  readonly network: {
    readonly vnetCidr: string;
    readonly appsSubnetCidr: string;
    readonly endpointsSubnetCidr: string;
  };
  readonly gateway: { readonly minReplicas: number; readonly maxReplicas: number };
  readonly agent: { readonly minReplicas: number; readonly maxReplicas: number };
  /** Log Analytics retention, 365-730 days. @default 365 */
  readonly logRetentionDays: number;
  /** WORM policy on the audit container. @default { periodDays: 400, locked: false } */
  readonly auditImmutability: { readonly periodDays: number; readonly locked: boolean };
  /** Expiry of the signing key and credential secrets, in days from creation. @default 365 */
  readonly credentialExpiryDays: number;
  /** @default false - images come from an existing registry */
  readonly createAcr: boolean;
  /** ARM id of an existing registry the apps pull from with AcrPull. @default - none */
  readonly registryId?: string;
  /**
   * Client id of the app registration the approval page signs in with (a Web redirect URI makes it
   * a confidential client: its secret is the Key Vault secret `approvals-client-secret`).
   * @default - none: the approval page cannot sign anyone in (synth warns)
   */
  readonly approvalsClientId?: string;
  /**
   * Create the app registration (roles, redirect URI, assignment required, the approval page's
   * client secret) through the azuread provider. @default false - an administrator creates it
   */
  readonly createAppRegistration: boolean;
  readonly alertEmails: readonly string[];
  /** Denials in 15 minutes that raise the spike alert. @default 50 */
  readonly denialSpikeThreshold: number;
  /** @default - the Front Door endpoint's host with the edge on, else the gateway's Container Apps FQDN */
  readonly publicUrl?: string;
  /**
   * The edge in front of the gateway. `frontdoor`: internal environment, Front Door Premium + WAF
   * (Prevention) over Private Link. `none`: the environment's public ingress, for dev only; the
   * reason is recorded as the suppression of the edge rules. @default { kind: "frontdoor", rateLimitPerMinute: 600 }
   */
  readonly edge:
    | { readonly kind: "frontdoor"; readonly rateLimitPerMinute: number }
    | { readonly kind: "none"; readonly reason: string };
  readonly state:
    | { readonly backend: "local" }
    | {
        readonly backend: "azurerm";
        readonly resourceGroupName: string;
        readonly storageAccountName: string;
        readonly containerName: string;
        readonly key: string;
      };
  /** Names of required variables that were missing and replaced by placeholders (synth only). */
  readonly placeholders: readonly string[];
  /** Approval channels wired into the gateway, their settings and Key Vault secrets. @default - none */
  readonly approvalChannels: ApprovalChannels;
}

export interface LoadConfigOptions {
  /** Fill missing deploy-required values with placeholders (for synth and tests). @default false */
  readonly allowPlaceholders?: boolean;
}

/** Reads and validates the configuration; throws ERR_CONFIG_INVALID listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadConfigOptions = {}): GatehouseConfig {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(ConfigEnvSchema.shape)) {
    const value = env[key]?.trim();
    raw[key] = value === "" ? undefined : value;
  }
  const placeholders: string[] = [];
  if (opts.allowPlaceholders) {
    for (const key of DEPLOY_REQUIRED) {
      if (raw[key] === undefined) {
        raw[key] = PLACEHOLDERS[key];
        placeholders.push(key);
      }
    }
  }
  const parsed = ConfigEnvSchema.safeParse(raw);
  const problems: Problem[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const variable = String(i.path[0] ?? "(configuration)");
        if (raw[variable] === undefined) {
          return {
            variable,
            message: `received nothing (missing), expected ${(EXPECTED as Record<string, string>)[variable] ?? i.message}`,
          };
        }
        return { variable, message: `received ${JSON.stringify(raw[variable])}, expected ${i.message}` };
      });
  problems.push(...crossFieldProblems(raw));
  if (!parsed.success || problems.length > 0) {
    throw new GatehouseError(
      "ERR_CONFIG_INVALID",
      `invalid configuration (see docs/deploy.md):\n  ${problems.map((p) => `${p.variable}: ${p.message}`).join("\n  ")}`,
      { variables: problems.map((p) => p.variable) },
    );
  }
  const v = parsed.data;
  return {
    subscriptionId: v.GATEHOUSE_SUBSCRIPTION_ID,
    tenantId: v.GATEHOUSE_TENANT_ID,
    audience: v.GATEHOUSE_AUDIENCE,
    gatewayImage: v.GATEHOUSE_GATEWAY_IMAGE,
    agentImage: v.GATEHOUSE_AGENT_IMAGE,
    environment: v.GATEHOUSE_ENVIRONMENT,
    location: v.GATEHOUSE_REGIONS?.[0] ?? v.GATEHOUSE_LOCATION,
    secondaryRegions: v.GATEHOUSE_REGIONS?.slice(1) ?? [],
    network: {
      vnetCidr: v.GATEHOUSE_VNET_CIDR,
      appsSubnetCidr: v.GATEHOUSE_APPS_SUBNET_CIDR,
      endpointsSubnetCidr: v.GATEHOUSE_ENDPOINTS_SUBNET_CIDR,
    },
    gateway: { minReplicas: v.GATEHOUSE_GATEWAY_MIN_REPLICAS, maxReplicas: v.GATEHOUSE_GATEWAY_MAX_REPLICAS },
    agent: { minReplicas: v.GATEHOUSE_AGENT_MIN_REPLICAS, maxReplicas: v.GATEHOUSE_AGENT_MAX_REPLICAS },
    logRetentionDays: v.GATEHOUSE_LOG_RETENTION_DAYS,
    auditImmutability: {
      periodDays: v.GATEHOUSE_AUDIT_IMMUTABILITY_DAYS,
      locked: v.GATEHOUSE_AUDIT_IMMUTABILITY_LOCKED,
    },
    credentialExpiryDays: v.GATEHOUSE_CREDENTIAL_EXPIRY_DAYS,
    createAcr: v.GATEHOUSE_CREATE_ACR,
    approvalsClientId: v.GATEHOUSE_APPROVALS_CLIENT_ID,
    createAppRegistration: v.GATEHOUSE_CREATE_APP_REGISTRATION,
    registryId: v.GATEHOUSE_REGISTRY_ID,
    alertEmails: v.GATEHOUSE_ALERT_EMAILS,
    denialSpikeThreshold: v.GATEHOUSE_DENIAL_SPIKE_THRESHOLD,
    publicUrl: v.GATEHOUSE_PUBLIC_URL,
    edge:
      v.GATEHOUSE_EDGE === "none"
        ? { kind: "none", reason: v.GATEHOUSE_EDGE_NONE_REASON! }
        : { kind: "frontdoor", rateLimitPerMinute: v.GATEHOUSE_EDGE_RATE_LIMIT_PER_MINUTE },
    state:
      v.GATEHOUSE_STATE_BACKEND === "azurerm"
        ? {
            backend: "azurerm",
            resourceGroupName: v.GATEHOUSE_STATE_RESOURCE_GROUP!,
            storageAccountName: v.GATEHOUSE_STATE_STORAGE_ACCOUNT!,
            containerName: v.GATEHOUSE_STATE_CONTAINER,
            key: v.GATEHOUSE_STATE_KEY ?? `gatehouse-${v.GATEHOUSE_ENVIRONMENT}.tfstate`,
          }
        : { backend: "local" },
    placeholders,
    approvalChannels: approvalChannelsFrom(raw),
  };
}
