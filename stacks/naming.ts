/**
 * Resource names. Globally unique names (Key Vault, storage, registry) carry a short suffix derived
 * from the subscription, environment and location, so they are stable across synths and differ
 * between deployments.
 */
import { createHash } from "node:crypto";
import type { GatehouseConfig } from "./config";

export interface Names {
  readonly resourceGroup: string;
  readonly vnet: string;
  readonly keyVault: string;
  readonly storageAccount: string;
  readonly registry: string;
  readonly logAnalytics: string;
  readonly appInsights: string;
  readonly environment: string;
  /** The Container Apps environment's platform-managed resource group (Azure creates it). */
  readonly environmentInfrastructure: string;
  readonly gatewayApp: string;
  readonly agentApp: string;
  /** Prefix for everything else: `gh-<env>`. */
  readonly prefix: string;
}

export function names(config: Pick<GatehouseConfig, "subscriptionId" | "environment" | "location">): Names {
  const suffix = createHash("sha256").update(`${config.subscriptionId}/${config.environment}/${config.location}`).digest("hex").slice(0, 6);
  const env = config.environment;
  const prefix = `gh-${env}`;
  return {
    resourceGroup: `rg-gatehouse-${env}`,
    vnet: `vnet-${prefix}`,
    keyVault: `kv-${prefix}-${suffix}`,
    storageAccount: `stgh${env}${suffix}`,
    registry: `acrgh${env}${suffix}`,
    logAnalytics: `log-${prefix}`,
    appInsights: `appi-${prefix}`,
    environment: `cae-${prefix}`,
    environmentInfrastructure: `rg-gatehouse-${env}-cae-infra`,
    gatewayApp: `ca-${prefix}-gateway`,
    agentApp: `ca-${prefix}-agent`,
    prefix,
  };
}
