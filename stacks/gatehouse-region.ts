/**
 * A secondary region of a multi-region deployment (GATEHOUSE_REGIONS): its own resource group,
 * network, workspace, audit account (its own chains in its own WORM container), Key Vault,
 * identities, policy bundle copy, environment, gateway and agent — behind the primary region's
 * Front Door as one more origin, and deciding approvals and JIT grants in the primary region's
 * tables, reached over a private endpoint in this region's VNet (docs/decisions/0007). A private
 * registry the stack created is reached the same way, over this VNet's own endpoint.
 */
import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { PolicyBundle } from "../runtime/core/policy-model/schema";
import type { GatehouseConfig } from "./config";
import type { Names } from "./naming";
import type { Network } from "./network";
import type { Evidence } from "./evidence";
import type { IdentitySecrets } from "./identity-secrets";
import type { Compute } from "./compute";
import type { EdgeFrontDoor } from "./edge-front-door";
import type { RegistryRef } from "./image-registry";
import type { DeploymentKeys } from "./deployment-keys";
import { buildRegionalDeployment, type DecisionStore } from "./regional-deployment";
import { registryPrivateAccess } from "./registry-private-access";

export interface GatehouseRegionProps {
  readonly config: GatehouseConfig;
  readonly policyBundle: PolicyBundle;
  /** This region's names (naming.ts `regionalNames`). */
  readonly names: Names;
  readonly location: string;
  /** The decision region's audit account and its approvals and grants tables. */
  readonly decisions: DecisionStore;
  /** The deployment's generated keys: this region's vault gets the primary's values. */
  readonly deploymentKeys: DeploymentKeys;
  /** The one Front Door of the deployment: this region becomes an origin of its gateway group. */
  readonly edge: EdgeFrontDoor;
  /** The gateway's public URL (the same in every region: Front Door's host or the custom domain). */
  readonly publicUrl: string;
  /** Its host (a token with Front Door's host, so not parsed from the URL here). */
  readonly publicHost: string;
  /**
   * The approval page's client (the primary's registration) and, when the stack created it, its
   * password to store in this region's vault. @default - none: the approval page cannot sign in
   */
  readonly approvalsClient?: { readonly clientId: string; readonly secretValue?: string };
  /** @default - images pulled anonymously */
  readonly registry?: RegistryRef;
  /**
   * Whether `registry` is the private registry the stack created (public access off): this
   * region's VNet then gets its own private endpoint and DNS zone for it.
   * @default false - an existing registry's network access is its owner's to arrange
   */
  readonly registryIsPrivate?: boolean;
  readonly tags: Record<string, string>;
}

export class GatehouseRegion extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly network: Network;
  readonly evidence: Evidence;
  readonly identitySecrets: IdentitySecrets;
  readonly compute: Compute;

  constructor(scope: Construct, id: string, props: GatehouseRegionProps) {
    super(scope, id);
    const { config, names: n, location } = props;
    const tags = { ...props.tags, region: location };
    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: n.resourceGroup, location, tags });
    const common = { resourceGroupName: this.resourceGroup.name, location, tags };

    const region = buildRegionalDeployment(this, {
      ...common,
      config,
      policyBundle: props.policyBundle,
      names: n,
      internetIngress: false,
      decisions: props.decisions,
      deploymentKeys: props.deploymentKeys,
      approvalsClientSecret: props.approvalsClient ? { value: props.approvalsClient.secretValue } : undefined,
      registry: (network) => {
        if (props.registry && props.registryIsPrivate) {
          registryPrivateAccess(new Construct(this, "registry"), {
            ...common,
            registryId: props.registry.id,
            network,
            prefix: n.prefix,
          });
        }
        return props.registry;
      },
      publicFace: (compute, defaultHost) => {
        props.edge.addRegionOrigin({ location, environment: compute.environment, originHostName: defaultHost });
        return {
          publicUrl: props.publicUrl,
          allowedHosts: `${props.publicHost},${defaultHost}`,
          frontDoorId: props.edge.frontDoorId,
        };
      },
      approvalsClientId: props.approvalsClient ? () => props.approvalsClient!.clientId : undefined,
    });
    this.network = region.network;
    this.evidence = region.evidence;
    this.identitySecrets = region.identitySecrets;
    this.compute = region.compute;
  }
}
