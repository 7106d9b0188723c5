/**
 * The Container Apps env maps, typed against the runtime's own env schemas
 * (runtime/core/config/gateway-config.ts, agent-config.ts): a variable the runtime does not read,
 * or one it renamed, fails the build instead of being silently ignored in Azure (the stack once
 * set GATEHOUSE_TENANT_ID, which the gateway never read). Stacks may import runtime config; the
 * runtime never imports stacks.
 */
import type { z } from "zod";
import type { GatewayEnvSchema } from "../runtime/core/config/gateway-config";
import type { AgentEnvSchema } from "../runtime/core/config/agent-config";

/**
 * Read by the Azure SDK (@azure/identity's ManagedIdentityCredential: which user-assigned identity),
 * not by our schemas.
 */
type AzureSdkVariable = "AZURE_CLIENT_ID";

export type GatewayEnvName = Extract<keyof z.input<typeof GatewayEnvSchema>, string> | AzureSdkVariable;
export type AgentEnvName = Extract<keyof z.input<typeof AgentEnvSchema>, string> | AzureSdkVariable;

/** Plain settings of an app, by variable name. */
export type EnvMap<Name extends string> = Partial<Record<Name, string>>;
export type GatewayEnv = EnvMap<GatewayEnvName>;
export type AgentEnv = EnvMap<AgentEnvName>;
