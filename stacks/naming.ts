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
  const suffix = createHash("sha256")
    .update(`${config.subscriptionId}/${config.environment}/${config.location}`)
    .digest("hex")
    .slice(0, 6);
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

/**
 * Names of a secondary region's resources (GATEHOUSE_REGIONS): the globally unique ones already
 * differ by location (their suffix hashes it); the others get the region in their resource group's
 * name and a short code of it in their prefix, so two regions' apps, vaults and workspaces are
 * never confused (a region name in full would push app names past Container Apps' 32 characters).
 */
export function regionalNames(
  config: Pick<GatehouseConfig, "subscriptionId" | "environment">,
  location: string,
): Names {
  const base = names({ ...config, location });
  const code = createHash("sha256").update(location).digest("hex").slice(0, 4);
  const prefix = `${base.prefix}-${code}`;
  return {
    ...base,
    resourceGroup: `${base.resourceGroup}-${location}`,
    vnet: `vnet-${prefix}`,
    logAnalytics: `log-${prefix}`,
    appInsights: `appi-${prefix}`,
    environment: `cae-${prefix}`,
    environmentInfrastructure: `${base.resourceGroup}-${location}-cae-infra`,
    gatewayApp: `ca-${prefix}-gateway`,
    agentApp: `ca-${prefix}-agent`,
    prefix,
  };
}
