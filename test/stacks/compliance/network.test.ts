import {
  NetworkSecurityGroup,
  type NetworkSecurityGroupSecurityRule,
} from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { expectSynthFails, nagStack, RG, ruleIds } from "./nag-stack";

const inbound = (over: Partial<NetworkSecurityGroupSecurityRule>): NetworkSecurityGroupSecurityRule => ({
  name: "r",
  priority: 100,
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "Internet",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "443",
  ...over,
});

const nsg = (...rules: NetworkSecurityGroupSecurityRule[]) =>
  nagStack((stack) => {
    new NetworkSecurityGroup(stack, "nsg", { ...RG, name: "nsg", securityRule: rules });
  });

describe("network security rules", () => {
  test("Compliance: HTTPS from the Internet and SSH from inside are fine", () => {
    expect(
      ruleIds(
        nsg(
          inbound({}),
          inbound({ name: "ssh", priority: 110, destinationPortRange: "22", sourceAddressPrefix: "10.0.0.0/8" }),
        ),
      ),
    ).toEqual([]);
  });
  describe("CKV_AZURE_9: RDP", () => {
    test("Noncompliance 1: 3389 from Internet", () =>
      expectSynthFails(nsg(inbound({ destinationPortRange: "3389" })), "CKV_AZURE_9"));
    test("Noncompliance 2: a range covering 3389 from 0.0.0.0/0, standalone rule", () =>
      expectSynthFails(
        nagStack((stack) => {
          new NetworkSecurityRule(stack, "rule", {
            ...inbound({ destinationPortRange: "3000-4000", sourceAddressPrefix: "0.0.0.0/0" }),
            access: "Allow",
            direction: "Inbound",
            protocol: "Tcp",
            priority: 100,
            name: "r",
            resourceGroupName: "rg",
            networkSecurityGroupName: "nsg",
          });
        }),
        "CKV_AZURE_9",
      ));
  });
  describe("CKV_AZURE_10: SSH", () => {
    test("Noncompliance 1: 22 from any", () =>
      expectSynthFails(nsg(inbound({ destinationPortRange: "22", sourceAddressPrefix: "*" })), "CKV_AZURE_10"));
    test("Noncompliance 2: every port", () =>
      expectSynthFails(nsg(inbound({ destinationPortRange: "*" })), "CKV_AZURE_10"));
  });
  describe("CKV_AZURE_160: HTTP", () => {
    test("Noncompliance 1: 80 from Internet", () =>
      expectSynthFails(
        nsg(inbound({ destinationPortRanges: ["80", "443"], destinationPortRange: undefined })),
        "CKV_AZURE_160",
      ));
    test("Compliance: a deny rule on 80", () =>
      expect(ruleIds(nsg(inbound({ destinationPortRange: "80", access: "Deny" })))).toEqual([]));
  });
  describe("CKV_AZURE_77: UDP", () => {
    test("Noncompliance 1: UDP from Internet", () =>
      expectSynthFails(nsg(inbound({ protocol: "Udp", destinationPortRange: "53" })), "CKV_AZURE_77"));
    test("Compliance: outbound UDP", () =>
      expect(ruleIds(nsg(inbound({ protocol: "Udp", direction: "Outbound" })))).toEqual([]));
  });
});

describe("subnets", () => {
  const subnets = (associate: boolean, name = "snet") =>
    nagStack((stack) => {
      const subnet = new Subnet(stack, "subnet", {
        name,
        resourceGroupName: "rg",
        virtualNetworkName: "vnet",
        addressPrefixes: ["10.0.0.0/24"],
      });
      const group = new NetworkSecurityGroup(stack, "nsg", { ...RG, name: "nsg" });
      if (associate)
        new SubnetNetworkSecurityGroupAssociation(stack, "assoc", {
          subnetId: subnet.id,
          networkSecurityGroupId: group.id,
        });
    });
  test("CKV2_AZURE_31 Noncompliance 1: subnet without NSG", () => expectSynthFails(subnets(false), "CKV2_AZURE_31"));
  test("CKV2_AZURE_31 Compliance", () => expect(ruleIds(subnets(true))).toEqual([]));
  test("CKV2_AZURE_31 Compliance: GatewaySubnet is not applicable", () =>
    expect(ruleIds(subnets(false, "GatewaySubnet"))).toEqual([]));
});
