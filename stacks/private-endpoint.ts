/**
 * A private endpoint for one sub-resource of a service, registered in its private DNS zone, so the
 * service can keep public network access off and still be reached from the VNet.
 */
import { Construct } from "constructs";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import type { Subnet } from "@cdktf/provider-azurerm/lib/subnet";

export interface PrivateEndpointForProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly subnet: Subnet;
  /** Resource id of the service (Key Vault, storage account). */
  readonly targetResourceId: string;
  /** Sub-resource: `vault`, `blob`, `table`. */
  readonly subresource: string;
  readonly dnsZone: PrivateDnsZone;
  readonly tags: Record<string, string>;
}

export function privateEndpointFor(scope: Construct, id: string, props: PrivateEndpointForProps): PrivateEndpoint {
  return new PrivateEndpoint(scope, id, {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
    subnetId: props.subnet.id,
    tags: props.tags,
    privateServiceConnection: {
      name: `${props.name}-connection`,
      isManualConnection: false,
      privateConnectionResourceId: props.targetResourceId,
      subresourceNames: [props.subresource],
    },
    privateDnsZoneGroup: { name: "default", privateDnsZoneIds: [props.dnsZone.id] },
  });
}
