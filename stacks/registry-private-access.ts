/**
 * How one VNet reaches a private container registry: a `privatelink.azurecr.io` zone linked to the
 * VNet, and a private endpoint in its endpoints subnet registered in that zone. The decision
 * region's registry gets one (image-registry.ts), and so does every other region's VNet
 * (GATEHOUSE_REGIONS with GATEHOUSE_CREATE_ACR=true): the registry's public access is off, and the
 * regions' VNets are not peered, so an environment without its own endpoint could not pull.
 *
 * One zone per VNet, not one shared zone: an endpoint's DNS zone group writes the registry's A
 * records (`<name>` and `<name>.<region>.data`) into the zones it names, so two endpoints in one
 * zone would overwrite each other's addresses, and each VNet must resolve the registry to the
 * endpoint in its own address space. The behaviours relied on, as documented:
 * - azurerm `azurerm_private_endpoint`: its `private_dns_zone_group` registers the endpoint's
 *   addresses in the referenced private DNS zones (registry.terraform.io/providers/hashicorp/
 *   azurerm/4.55.0/docs/resources/private_endpoint);
 * - azurerm `azurerm_private_dns_zone_virtual_network_link`: the zone resolves inside the linked
 *   VNet; `registration_enabled = false` keeps VM auto-registration out of it (.../docs/resources/
 *   private_dns_zone_virtual_network_link);
 * - Azure Container Registry, "Connect privately to an Azure container registry using Azure Private
 *   Link" (learn.microsoft.com/azure/container-registry/container-registry-private-link): Premium
 *   tier only; a `privatelink.azurecr.io` zone linked to the client's VNet (registration off) holding
 *   A records for the registry and for its regional data endpoint `<name>.<region>.data`.
 */
import type { Construct } from "constructs";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import type { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { Network } from "./network";
import { privateEndpointFor } from "./private-endpoint";

export const REGISTRY_PRIVATE_DNS_ZONE = "privatelink.azurecr.io";

export interface RegistryPrivateAccessProps {
  /** ARM id of the registry (Premium, public network access off). */
  readonly registryId: string;
  /** The VNet that pulls: its endpoints subnet gets the endpoint, the VNet the zone link. */
  readonly network: Network;
  /** Resource group of the zone and endpoint (the VNet's region). */
  readonly resourceGroupName: string;
  readonly location: string;
  /** Names the link and endpoint: `link-<prefix>-registry`, `pe-<prefix>-registry`. */
  readonly prefix: string;
  readonly tags: Record<string, string>;
}

export interface RegistryPrivateAccess {
  readonly zone: PrivateDnsZone;
  readonly link: PrivateDnsZoneVirtualNetworkLink;
  readonly endpoint: PrivateEndpoint;
}

/** Creates the zone, its link and the endpoint in `scope` (ids `dns-registry`, `dns-registry-link`, `registry-endpoint`). */
export function registryPrivateAccess(scope: Construct, props: RegistryPrivateAccessProps): RegistryPrivateAccess {
  const zone = new PrivateDnsZone(scope, "dns-registry", {
    name: REGISTRY_PRIVATE_DNS_ZONE,
    resourceGroupName: props.resourceGroupName,
    tags: props.tags,
  });
  const link = new PrivateDnsZoneVirtualNetworkLink(scope, "dns-registry-link", {
    name: `link-${props.prefix}-registry`,
    resourceGroupName: props.resourceGroupName,
    privateDnsZoneName: zone.name,
    virtualNetworkId: props.network.vnet.id,
    registrationEnabled: false,
    tags: props.tags,
  });
  const endpoint = privateEndpointFor(scope, "registry-endpoint", {
    name: `pe-${props.prefix}-registry`,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    subnet: props.network.endpointsSubnet,
    targetResourceId: props.registryId,
    subresource: "registry",
    dnsZone: zone,
    tags: props.tags,
  });
  return { zone, link, endpoint };
}
