/**
 * Where the apps pull their image from, always with their own identity (AcrPull, no registry
 * password): an existing registry named by its ARM id (the recommended path: images are built,
 * scanned and pushed before the deploy that uses them, by digest), or a Premium registry this
 * stack creates with public network access off, reachable through a private endpoint in the
 * endpoints subnet (and one in every other region's VNet: registry-private-access.ts). A created
 * registry is empty on the first apply: push the image from a network that reaches it
 * (docs/deploy.md); the apps retry the pull until it exists.
 */
import { Construct } from "constructs";
import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry";
import type { Network } from "./network";
import { registryPrivateAccess } from "./registry-private-access";
import { diagnosticsToWorkspace } from "./diagnostics";

export interface RegistryRef {
  /** ARM id: the AcrPull scope. */
  readonly id: string;
  /** e.g. contoso.azurecr.io */
  readonly loginServer: string;
}

export const REGISTRY_ID_PATTERN =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerRegistry\/registries\/([a-zA-Z0-9]{5,50})$/i;

/** An existing registry by ARM id; its login server is `<name>.azurecr.io` (Azure public cloud). */
export function existingRegistry(id: string): RegistryRef {
  const match = REGISTRY_ID_PATTERN.exec(id);
  if (!match) throw new TypeError(`registry id must be an Azure Container Registry resource id, received "${id}"`);
  return { id, loginServer: `${match[1].toLowerCase()}.azurecr.io` };
}

export interface PrivateRegistryProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly prefix: string;
  readonly network: Network;
  readonly workspaceId: string;
  readonly tags: Record<string, string>;
}

export class PrivateRegistry extends Construct {
  readonly registry: ContainerRegistry;
  readonly ref: RegistryRef;

  constructor(scope: Construct, id: string, props: PrivateRegistryProps) {
    super(scope, id);
    this.registry = new ContainerRegistry(this, "registry", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      // Private endpoints need Premium.
      sku: "Premium",
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: false,
      exportPolicyEnabled: false,
      zoneRedundancyEnabled: true,
      tags: props.tags,
    });
    registryPrivateAccess(this, {
      registryId: this.registry.id,
      network: props.network,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      prefix: props.prefix,
      tags: props.tags,
    });
    diagnosticsToWorkspace(this, "registry-diagnostics", this.registry.id, props.workspaceId);
    this.ref = { id: this.registry.id, loginServer: this.registry.loginServer };
  }
}
