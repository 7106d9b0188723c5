/**
 * What one region's wiring takes and gives (regional-deployment.ts): the props that differ
 * between the decision region and the others, and the constructs the stack and regions expose.
 */
import type { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import type { AzapiResource } from "./azapi";
import type { PolicyBundle } from "../runtime/core/policy-model/schema";
import type { GatehouseConfig } from "./config";
import type { Names } from "./naming";
import type { Network } from "./network";
import type { Evidence, EVIDENCE_TABLES } from "./evidence";
import type { IdentitySecrets } from "./identity-secrets";
import type { PolicyBundleDelivery } from "./policy-bundle-delivery";
import type { Compute } from "./compute";
import type { RegistryRef } from "./image-registry";
import type { DeploymentKeys } from "./deployment-keys";

/** Where approvals and JIT grants are decided: the decision region's account and tables. */
export interface DecisionStore {
  readonly storage: StorageAccount;
  readonly tables: Record<(typeof EVIDENCE_TABLES)[number], AzapiResource>;
}

/** What the gateway is told about its public face, once the environment's domain is known. */
export interface PublicFace {
  readonly publicUrl: string;
  /** GATEHOUSE_ALLOWED_HOSTS. @default - the public host only (the gateway's own default) */
  readonly allowedHosts?: string;
  /** GATEHOUSE_FRONT_DOOR_ID: requests without it are refused. @default - no edge check */
  readonly frontDoorId?: string;
}

export interface RegionalDeploymentProps {
  readonly config: GatehouseConfig;
  readonly policyBundle: PolicyBundle;
  readonly names: Names;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Record<string, string>;
  /** The deployment's generated keys (session key, masking hash key): one value for every region. */
  readonly deploymentKeys: DeploymentKeys;
  /** Whether the apps subnet admits Internet traffic (GATEHOUSE_EDGE=none). */
  readonly internetIngress: boolean;
  /**
   * Another region's decision store, reached over a private endpoint in this VNet.
   * @default - this region's own tables decide (the decision region)
   */
  readonly decisions?: DecisionStore;
  /** The approval page's client secret to store in this vault. @default - no approval page client */
  readonly approvalsClientSecret?: { readonly value?: string };
  /** Called where the registry belongs in the wiring (after the role grants). @default - no registry */
  readonly registry?: (network: Network, workspaceId: string) => RegistryRef | undefined;
  /** Called once the environment exists: the public face (an edge may be created or joined here). */
  readonly publicFace: (compute: Compute, defaultHost: string, workspaceId: string) => PublicFace;
  /** GATEHOUSE_APPROVALS_CLIENT_ID for the public URL. @default - no approval page client */
  readonly approvalsClientId?: (publicUrl: string) => string;
}

export interface RegionalDeployment {
  readonly network: Network;
  readonly evidence: Evidence;
  readonly identitySecrets: IdentitySecrets;
  readonly policyDelivery: PolicyBundleDelivery;
  readonly compute: Compute;
}
