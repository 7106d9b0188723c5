/**
 * How one VNet reaches a private container registry: a `privatelink.azurecr.io` zone linked to the
 * VNet, and a private endpoint in its endpoints subnet registered in that zone. The decision
 * region's registry gets one (image-registry.ts), and so does every other region's VNet
 * (GATEHOUSE_REGIONS with GATEHOUSE_CREATE_ACR=true): the registry's public access is off, and the
 * regions' VNets are not peered, so an environment without its own endpoint could not pull.
 *
 * One zone per VNet, not one shared zone: a private endpoint's DNS zone group writes the
 * registry's A records (`<name>` and `<name>.<region>.data`) into the zone it names, so two
 * endpoints registering in one zone would overwrite each other's addresses, and a VNet must resolve
 * the registry to the endpoint in its own address space. Behaviours relied on:
 * - azurerm `private_endpoint`, `private_dns_zone_group`: "the private DNS zone group ... creates
 *   the DNS records for the private endpoint in the referenced zones" (registry.terraform.io/
 *   providers/hashicorp/azurerm/latest/docs/resources/private_endpoint);
 * - azurerm `private_dns_zone_virtual_network_link`: resolution of the zone inside the linked VNet;
 *   `registration_enabled = false`, the zone holds only the endpoint's records
 *   (.../docs/resources/private_dns_zone_virtual_network_link);
 * - "Connect privately to an Azure container registry using Azure Private Link": the registry and
 *   its regional data endpoint both need records in `privatelink.azurecr.io`, and each virtual
 *   network that pulls needs an endpoint or a route to one (learn.microsoft.com/azure/
 *   container-registry/container-registry-private-link); private endpoints need the Premium tier.
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
