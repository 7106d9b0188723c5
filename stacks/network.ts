/**
 * Network: one VNet, a subnet for the Container Apps environment (delegated, /27 or larger), a
 * subnet for private endpoints, an NSG on each, and the private DNS zones the endpoints register in.
 * The only inbound allow from the Internet is HTTPS to the environment (the gateway's ingress).
 */
import { Construct } from "constructs";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import {
  NetworkSecurityGroup,
  type NetworkSecurityGroupSecurityRule,
} from "@cdktf/provider-azurerm/lib/network-security-group";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";

/** Private DNS zones of the private endpoints, by service. */
export const PRIVATE_DNS_ZONES = {
  vault: "privatelink.vaultcore.azure.net",
  blob: "privatelink.blob.core.windows.net",
  table: "privatelink.table.core.windows.net",
} as const;
export type PrivateDnsService = keyof typeof PRIVATE_DNS_ZONES;

export interface NetworkProps {
  readonly resourceGroupName: string;
  readonly location: string;
  /** Prefix of resource names. */
  readonly prefix: string;
  readonly vnetName: string;
  /** @default "10.40.0.0/16" */
  readonly vnetCidr: string;
  /** Container Apps environment subnet; /27 or larger (workload profiles). */
  readonly appsSubnetCidr: string;
  readonly endpointsSubnetCidr: string;
  /**
   * HTTPS from the Internet to the environment (its public ingress). Off behind the edge: Front
   * Door arrives over Private Link, from inside the VNet. @default true
   */
  readonly internetIngress?: boolean;
  readonly tags: Record<string, string>;
}

function denyInternetInbound(priority: number): NetworkSecurityGroupSecurityRule {
  return {
    name: "deny-internet-inbound",
    priority,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "Internet",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
    description: "Nothing else from the Internet",
  };
}

export class Network extends Construct {
  readonly vnet: VirtualNetwork;
  readonly appsSubnet: Subnet;
  readonly endpointsSubnet: Subnet;
  readonly dnsZones: Record<PrivateDnsService, PrivateDnsZone>;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const prefixLength = Number(props.appsSubnetCidr.split("/")[1]);
    if (!(prefixLength <= 27)) {
      throw new Error(
        `${this.node.path}: apps subnet must be /27 or larger for a workload-profile environment, received ${props.appsSubnetCidr}`,
      );
    }
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    const internetIngress = props.internetIngress ?? true;

    this.vnet = new VirtualNetwork(this, "vnet", { ...common, name: props.vnetName, addressSpace: [props.vnetCidr] });

    this.appsSubnet = new Subnet(this, "apps-subnet", {
      name: "snet-apps",
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [props.appsSubnetCidr],
      delegation: [
        {
          name: "container-apps",
          serviceDelegation: {
            name: "Microsoft.App/environments",
            actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"],
          },
        },
      ],
    });
    this.endpointsSubnet = new Subnet(this, "endpoints-subnet", {
      name: "snet-endpoints",
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [props.endpointsSubnetCidr],
      // NSG rules apply to private endpoints only when network policies are enabled.
      privateEndpointNetworkPolicies: "Enabled",
      defaultOutboundAccessEnabled: false,
    });

    const appsNsg = new NetworkSecurityGroup(this, "apps-nsg", {
      ...common,
      name: `nsg-${props.prefix}-apps`,
      securityRule: [
        {
          name: "allow-https-gateway-ingress",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: internetIngress ? "Internet" : "VirtualNetwork",
          sourcePortRange: "*",
          destinationAddressPrefix: props.appsSubnetCidr,
          destinationPortRange: "443",
          description: internetIngress
            ? "HTTPS to the gateway's ingress; the only Internet inbound allowed"
            : "HTTPS to the gateway's ingress from the VNet and Front Door's Private Link; nothing from the Internet",
        },
        denyInternetInbound(4000),
      ],
    });
    const endpointsNsg = new NetworkSecurityGroup(this, "endpoints-nsg", {
      ...common,
      name: `nsg-${props.prefix}-endpoints`,
      securityRule: [
        {
          name: "allow-https-from-vnet",
          priority: 100,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "VirtualNetwork",
          sourcePortRange: "*",
          destinationAddressPrefix: props.endpointsSubnetCidr,
          destinationPortRange: "443",
          description: "Key Vault and storage private endpoints, from inside the VNet only",
        },
        denyInternetInbound(4000),
      ],
    });
    new SubnetNetworkSecurityGroupAssociation(this, "apps-nsg-association", {
      subnetId: this.appsSubnet.id,
      networkSecurityGroupId: appsNsg.id,
    });
    new SubnetNetworkSecurityGroupAssociation(this, "endpoints-nsg-association", {
      subnetId: this.endpointsSubnet.id,
      networkSecurityGroupId: endpointsNsg.id,
    });

    const zones = {} as Record<PrivateDnsService, PrivateDnsZone>;
    for (const [service, zoneName] of Object.entries(PRIVATE_DNS_ZONES) as [PrivateDnsService, string][]) {
      const zone = new PrivateDnsZone(this, `dns-${service}`, {
        name: zoneName,
        resourceGroupName: props.resourceGroupName,
        tags: props.tags,
      });
      new PrivateDnsZoneVirtualNetworkLink(this, `dns-${service}-link`, {
        name: `link-${props.prefix}-${service}`,
        resourceGroupName: props.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId: this.vnet.id,
        registrationEnabled: false,
        tags: props.tags,
      });
      zones[service] = zone;
    }
    this.dnsZones = zones;
  }
}
